// The élu's portrait: the photo taken or chosen is cropped to a centred square on the phone, drawn on a
// canvas, and the square replaces the file in the form, so the server stores one small square picture.
const SIZE = 512;

function squareOf(image) {
  const side = Math.min(image.naturalWidth, image.naturalHeight);
  return { x: (image.naturalWidth - side) / 2, y: (image.naturalHeight - side) / 2, side };
}

async function crop(file, canvas) {
  const url = URL.createObjectURL(file);
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const { x, y, side } = squareOf(image);
    canvas.getContext("2d").drawImage(image, x, y, side, side, 0, 0, SIZE, SIZE);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.88));
    return new File([blob], "portrait.jpg", { type: "image/jpeg" });
  } finally {
    URL.revokeObjectURL(url);
  }
}

function enhance(form) {
  const input = form.querySelector("input[type=file]");
  const canvas = form.querySelector("canvas");
  const button = form.querySelector("button[type=submit]");
  let produced = null;
  const onChange = async () => {
    const file = input.files[0];
    // Setting ``files`` below may fire "change" again in some browsers: the square is not cropped twice.
    if (!file || (produced && file.name === produced.name && file.size === produced.size)) return;
    button.disabled = true;
    try {
      const square = await crop(file, canvas);
      const transfer = new DataTransfer();
      transfer.items.add(square);
      produced = square;
      input.files = transfer.files;
      canvas.hidden = false;
    } catch {
      // An image the browser cannot decode goes as it is: the server says why it refuses it.
    } finally {
      button.disabled = false;
    }
  };
  input.addEventListener("change", onChange);
  // A file chosen before this module ran (slow network, quick hand) is cropped too.
  if (input.files.length) onChange();
}

document.querySelectorAll("form[data-portrait-form]").forEach(enhance);
