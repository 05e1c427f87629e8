/**
 * ListKeyPolicies: always `["default"]`.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_ListKeyPolicies.html
 */
import { resolveKey, type Handler } from '../context.js';

export const listKeyPolicies: Handler = (input, ctx) => {
  resolveKey(ctx, input.KeyId as string, false);
  return { PolicyNames: ['default'], Truncated: false };
};
