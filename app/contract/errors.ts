/** An error as it crosses IPC, the WebSocket or a JSON log line: a stable code and a sentence for people. */
export interface WireError {
  code: string;
  message: string;
}
