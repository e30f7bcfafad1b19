// Files captured on the phone: their size as people read it, photos made lighter (their SHA-256: ../uploads.js).

import { lang, t } from "../i18n.js";

export function megabytes(bytes) {
  return (bytes / (1024 * 1024)).toLocaleString(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

/** "0,3 Mo", "10 Go": as people read sizes on a phone. */
export function readableSize(bytes) {
  const gigabytes = bytes / 1024 ** 3;
  const digits = gigabytes >= 10 ? 0 : 1;
  const size = gigabytes.toLocaleString(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  if (gigabytes >= 1) return t("%(size)s Go", { size });
  return t("%(size)s Mo", { size: megabytes(bytes) });
}

/** Draw the photo at most ``maxPx`` wide or high: a phone photo of 5-12 MB becomes a few hundred KB. */
export async function downscale(file, maxPx) {
  try {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, maxPx / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close?.();
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.85));
    return blob && blob.size < file.size ? blob : file;
  } catch (error) {
    return file;  // a format the browser cannot draw: keep the original rather than lose it
  }
}
