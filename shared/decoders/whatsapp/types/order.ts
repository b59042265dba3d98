import * as z from 'zod';
import type { MessageTypeParser } from '../message-type.js';

const orderSchema = z.object({
  catalog_id: z.string(),
  text: z.string().optional(),
  product_items: z.array(
    z.object({
      product_retailer_id: z.string(),
      quantity: z.coerce.number(),
      item_price: z.coerce.number().optional(),
      currency: z.string().optional(),
    }),
  ),
});

/** `{type:"order", order:{catalog_id, product_items:[…], text?}}`: a cart sent from the catalogue. */
export const order: MessageTypeParser = {
  type: 'order',
  parse: (message) => {
    const cart = orderSchema.parse(message.order);
    return {
      kind: 'order',
      catalogId: cart.catalog_id,
      items: cart.product_items.map((item) => ({
        productId: item.product_retailer_id,
        quantity: item.quantity,
        ...(item.item_price !== undefined ? { price: item.item_price } : {}),
        ...(item.currency ? { currency: item.currency } : {}),
      })),
      ...(cart.text ? { text: cart.text } : {}),
    };
  },
};
