/**
 * This tab's sessionStorage, or null where there is none or the browser
 * blocks it (reading `sessionStorage` then throws). What a tab keeps through
 * a reload: the picked stream, the last previewed one, WebCodecs' answers.
 */
export function tabStorage(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null; // storage blocked by the browser's settings
  }
}
