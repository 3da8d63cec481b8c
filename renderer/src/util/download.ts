/** Hand `parts` (concatenated) to the browser as a file download (a Blob behind a transient `<a download>`). */
export function downloadParts(parts: string[], fileName: string, type: string, doc: Document = document): void {
  const url = URL.createObjectURL(new Blob(parts, { type }));
  const a = doc.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  doc.body.appendChild(a);
  a.click();
  a.remove();
  // Revoking at once can cancel the download in some browsers; a moment later is safe.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
