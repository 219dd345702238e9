// Hands a file main made to the page's download: the browser host saves it in the
// downloads folder, Electron asks where. One place, so every export behaves alike.
import type { ExportedFile } from '../../../common/contract';

/** Saves bytes or text under a file name. */
export function download(fileName: string, content: Blob): void {
  const url = URL.createObjectURL(content);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // After the click has been handled: revoking at once can cancel the download.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Saves a generated report or table (its bytes travel as base64). */
export function saveExported(file: ExportedFile): void {
  const bytes = Uint8Array.from(atob(file.base64), (char) => char.charCodeAt(0));
  download(file.fileName, new Blob([bytes], { type: file.contentType }));
}
