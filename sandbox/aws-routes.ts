import type { IncomingMessage } from 'node:http';
import type { ExtraRoutes } from '../bench/lib/fake-aws-server.js';
import type { FakeEum } from '../test/support/fake-eum.js';
import type { FakeGuideContacts } from '../test/support/fake-guide-contacts.js';
import type { FakeWhatsAppMedia } from '../test/support/fake-whatsapp-media.js';

/**
 * The sandbox's AWS operations beyond the ones the bench's loopback server already answers
 * (Connect chat, participant, SendWhatsAppMessage, SQS): EUM Social templates and media, the media
 * bucket (S3), and Connect's DescribeContact. Paths are the REST bindings in the botocore models
 * (connect DescribeContact `GET /contacts/{InstanceId}/{ContactId}`; socialmessaging
 * `GET /v1/whatsapp/template/list`, `GET /v1/whatsapp/template`, `POST /v1/whatsapp/media/get`;
 * s3 ListObjectsV2 `GET /{Bucket}?list-type=2`, GetObject `GET /{Bucket}/{Key+}`, path-style because
 * the endpoint is an IP address).
 */
export function sandboxRoutes(fakes: {
  readonly eum: FakeEum;
  readonly media: FakeWhatsAppMedia;
  readonly contacts: FakeGuideContacts;
}): ExtraRoutes {
  return async (request: IncomingMessage, body: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://sandbox');
    const query = Object.fromEntries(url.searchParams);
    const json = () => (body.length ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {});
    const path = url.pathname;
    if (request.method === 'GET' && path === '/v1/whatsapp/template/list') {
      return {
        operation: 'ListWhatsAppMessageTemplates',
        body: strip(await fakes.eum.invoke('ListWhatsAppMessageTemplates', query)),
      };
    }
    if (request.method === 'GET' && path === '/v1/whatsapp/template') {
      return {
        operation: 'GetWhatsAppMessageTemplate',
        body: strip(await fakes.eum.invoke('GetWhatsAppMessageTemplate', query)),
      };
    }
    if (request.method === 'POST' && path === '/v1/whatsapp/media/get') {
      return {
        operation: 'GetWhatsAppMessageMedia',
        body: strip(await fakes.media.invoke('GetWhatsAppMessageMedia', json())),
      };
    }
    const contact = /^\/contacts\/[^/]+\/([^/]+)$/.exec(path);
    if (request.method === 'GET' && contact?.[1]) {
      return {
        operation: 'DescribeContact',
        body: strip(await fakes.contacts.describe({ ContactId: decodeURIComponent(contact[1]) })),
      };
    }
    if (request.method === 'GET' && query['list-type'] === '2') {
      return {
        operation: 'S3.ListObjectsV2',
        contentType: 'application/xml',
        body: await listObjectsXml(fakes.media, path.replace(/^\/|\/$/g, ''), query.prefix ?? ''),
      };
    }
    const object = /^\/([^/]+)\/(.+)$/.exec(path);
    if (request.method === 'GET' && object?.[1] && object[2]) {
      const output = (await fakes.media.invoke('GetObject', {
        Bucket: object[1],
        Key: decodeURIComponent(object[2]),
      })) as { Body: { transformToByteArray(): Promise<Uint8Array> } };
      return {
        operation: 'S3.GetObject',
        contentType: 'application/octet-stream',
        body: await output.Body.transformToByteArray(),
      };
    }
    return undefined;
  };
}

function strip(output: unknown): unknown {
  const { $metadata: _ignored, ...fields } = output as Record<string, unknown>;
  return fields;
}

async function listObjectsXml(media: FakeWhatsAppMedia, bucket: string, prefix: string): Promise<string> {
  const output = (await media.invoke('ListObjectsV2', {
    Bucket: decodeURIComponent(bucket),
    Prefix: prefix,
  })) as {
    Contents?: { Key: string; Size: number }[];
  };
  const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const contents = (output.Contents ?? [])
    .map((item) => `<Contents><Key>${xml(item.Key)}</Key><Size>${item.Size}</Size></Contents>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>${xml(bucket)}</Name><Prefix>${xml(prefix)}</Prefix><KeyCount>${output.Contents?.length ?? 0}</KeyCount><IsTruncated>false</IsTruncated>${contents}</ListBucketResult>`;
}
