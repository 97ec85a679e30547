/** Saves a Blob as a file through a temporary link (the URL is released once the browser has taken it). */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Saves a stored video, read only now (`read` gives null once it is no longer stored: then nothing happens). */
export async function downloadStoredVideo(read: () => Promise<Blob | null>, fileName: string): Promise<void> {
  const video = await read();
  if (video) downloadBlob(video, fileName);
}
