/** An error from the API ({"error": {"code", "message"}}) or the network, with words for people. */
export class ApiError extends Error {
  constructor(
    message: string,
    public status: number,
    public code: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

const FALLBACK: Record<number, string> = {
  400: "The request was not accepted.",
  401: "Your session has ended. Please sign in again.",
  403: "You don't have permission to do this.",
  404: "This was not found. It may have been deleted.",
  409: "This conflicts with something that already exists.",
  413: "That is too large.",
  415: "That file type is not supported.",
  422: "Some fields are not valid.",
  429: "Too many requests. Please wait a moment and try again.",
  500: "The server ran into a problem. Please try again.",
  502: "The server is not reachable right now. Please try again.",
  503: "The server is busy or starting. Please try again in a moment.",
};

/** Builds an ApiError from a parsed body (any shape) and an HTTP status. */
export function toApiError(body: unknown, status: number): ApiError {
  const err = (body as { error?: { code?: string; message?: string } } | null)?.error;
  if (err?.message) return new ApiError(err.message, status, err.code ?? "error");
  const detail = (body as { detail?: unknown } | null)?.detail;
  if (typeof detail === "string") return new ApiError(detail, status, "error");
  return new ApiError(FALLBACK[status] ?? `Request failed (HTTP ${status}).`, status, "http_" + status);
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return "Could not reach the server. Check your connection and try again.";
  if (error instanceof Error && error.message) return error.message;
  return "Something went wrong.";
}

/** True when an endpoint does not exist on this server (yet): route-level 404/405. */
export function isMissingEndpoint(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 405 || (error.status === 404 && /^not found\.?$/i.test(error.message)));
}
