import { App } from 'aws-cdk-lib';
import { buildApp } from './build-app.js';
import { loadRelayConfigFile } from './config/relay-config.js';

const app = new App();
// The config file is named in cdk.json; override with -c relayConfigFile=config/relay.json.
const configFile = (app.node.tryGetContext('relayConfigFile') as string | undefined) ?? 'config/relay.json';
buildApp(loadRelayConfigFile(configFile), app);
app.synth();
