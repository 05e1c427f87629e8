/**
 * The one exception type KMS handlers throw, and the one function that turns any thrown value into AWS's JSON 1.1
 * error answer: HTTP status, `{"__type": "<Name>", "message": "..."}`, `x-amzn-ErrorType`.
 * https://docs.aws.amazon.com/kms/latest/APIReference/CommonErrors.html
 */
import { Hsm2KmsError } from '../../errors.js';
import { kmsExceptionStatus, type KmsExceptionName } from '../model/exceptions.js';
import type { ErrorBody } from '../model/shapes.js';

function codeOf(name: string): string {
  return 'KMS_' + name.replace(/Exception$/, '').replace(/^KMS/, '').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** An AWS KMS error: `awsName` goes to `__type`; `message` undefined means the body has no message member. */
export class KmsException extends Hsm2KmsError {
  readonly side = 'kms' as const;
  readonly awsName: KmsExceptionName;
  readonly awsMessage: string | undefined;

  constructor(awsName: KmsExceptionName, message?: string) {
    super(codeOf(awsName), message ?? awsName);
    this.awsName = awsName;
    this.awsMessage = message;
  }
}

export interface ErrorAnswer {
  status: number;
  body: ErrorBody;
}

/** Renders any thrown value; anything that is not a KmsException becomes KMSInternalException (500). */
export function renderError(err: unknown, log?: (line: string) => void): ErrorAnswer {
  if (err instanceof KmsException) {
    const body: ErrorBody = { __type: err.awsName };
    if (err.awsMessage !== undefined) body.message = err.awsMessage;
    return { status: kmsExceptionStatus[err.awsName], body };
  }
  log?.(`internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  return {
    status: 500,
    body: { __type: 'KMSInternalException', message: 'The local KMS server failed to process the request; see its log.' },
  };
}
