// Coded errors thrown by pipeline stages. Every stage throws only these, so callers can
// tell bad input (close one connection, drop one sample) from bugs (anything else).

export type PipelineErrorCode = 'truncated' | 'limit' | 'unsupported' | 'protocol';

export interface ErrorContext {
  readonly [key: string]: string | number | boolean | undefined;
}

export class PipelineError extends Error {
  readonly code: PipelineErrorCode;
  readonly context: ErrorContext;

  constructor(code: PipelineErrorCode, message: string, context: ErrorContext = {}) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.context = context;
  }
}

/** The input ended before a complete structure could be read. */
export class TruncatedError extends PipelineError {
  constructor(message: string, context: ErrorContext = {}) {
    super('truncated', message, context);
  }
}

/** The input is well-formed but exceeds a named limit (see limits.ts). */
export class LimitError extends PipelineError {
  constructor(message: string, context: ErrorContext = {}) {
    super('limit', message, context);
  }
}

/** The input is valid but uses a feature or codec that this stage does not handle. */
export class UnsupportedError extends PipelineError {
  constructor(message: string, context: ErrorContext = {}) {
    super('unsupported', message, context);
  }
}

/** The input violates the protocol or format specification. */
export class ProtocolError extends PipelineError {
  constructor(message: string, context: ErrorContext = {}) {
    super('protocol', message, context);
  }
}

export function isPipelineError(err: unknown): err is PipelineError {
  return err instanceof PipelineError;
}
