// PNG bytes written in the page: text chunks added to a canvas's PNG (its caption travels with the
// file), and animated PNGs (APNG) from greyscale frames. The image data is compressed by the
// browser's own zlib (CompressionStream "deflate", which is what PNG's IDAT holds); no build step,
// no library. PNG: https://www.w3.org/TR/png/ (chunks, CRC); APNG: acTL, fcTL and fdAT chunks.

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** One chunk: length, type, data, CRC over type and data. */
function chunk(type, data) {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set([...type].map((c) => c.charCodeAt(0)), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** Big-endian fields of the given byte widths. */
function fields(...pairs) {
  const size = pairs.reduce((n, [, width]) => n + width, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const [value, width] of pairs) {
    if (width === 4) view.setUint32(at, value);
    else if (width === 2) view.setUint16(at, value);
    else view.setUint8(at, value);
    at += width;
  }
  return out;
}

/** A tEXt chunk (Latin-1 keyword and text; anything else becomes "?"), or iTXt for text beyond Latin-1. */
function textChunk(keyword, text) {
  const latin1 = /^[\u0000-\u00ff]*$/.test(text);
  const key = [...keyword].map((c) => c.charCodeAt(0));
  if (latin1) return chunk("tEXt", Uint8Array.from([...key, 0, ...[...text].map((c) => c.charCodeAt(0))]));
  // iTXt: keyword, 0, compression flag 0, method 0, empty language tag 0, empty translated keyword 0, UTF-8 text.
  return chunk("iTXt", Uint8Array.from([...key, 0, 0, 0, 0, 0, ...new TextEncoder().encode(text)]));
}

/** `png` (a Blob from canvas.toBlob) with text chunks { keyword: text } inserted after its header. */
export async function withText(png, texts) {
  const bytes = new Uint8Array(await png.arrayBuffer());
  const afterHeader = 8 + 12 + 13; // the signature, then IHDR (13 bytes of data)
  const extra = Object.entries(texts).map(([k, v]) => textChunk(k, v));
  return new Blob([bytes.subarray(0, afterHeader), ...extra, bytes.subarray(afterHeader)], { type: "image/png" });
}

async function deflate(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Scanlines of a greyscale image, each led by filter type 0 (none), as IDAT expects them raw. */
function scanlines(grey, width, height) {
  const raw = new Uint8Array(height * (width + 1));
  for (let y = 0; y < height; y++) raw.set(grey.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  return raw;
}

/**
 * An animated PNG (Blob) of 8-bit greyscale `frames` (Uint8Array of width × height each), shown
 * `delayMs` each, looping forever; `texts` become tEXt chunks (a caption, the software).
 */
export async function animatedPng(frames, { width, height, delayMs = 40, texts = {} }) {
  const parts = [Uint8Array.from(SIGNATURE)];
  // IHDR: width, height, bit depth 8, colour type 0 (greyscale), compression, filter, interlace 0.
  parts.push(chunk("IHDR", fields([width, 4], [height, 4], [8, 1], [0, 1], [0, 1], [0, 1], [0, 1])));
  parts.push(chunk("acTL", fields([frames.length, 4], [0, 4]))); // frame count, 0 = loop forever
  for (const [k, v] of Object.entries(texts)) parts.push(textChunk(k, v));
  let sequence = 0;
  for (let i = 0; i < frames.length; i++) {
    // fcTL: sequence, size, offset (0, 0), delay as a fraction of a second, dispose 0 (none), blend 0 (source).
    parts.push(chunk("fcTL", fields([sequence++, 4], [width, 4], [height, 4], [0, 4], [0, 4],
      [delayMs, 2], [1000, 2], [0, 1], [0, 1])));
    const data = await deflate(scanlines(frames[i], width, height));
    if (i === 0) {
      parts.push(chunk("IDAT", data)); // the first frame is also the still image other viewers show
    } else {
      const fdat = new Uint8Array(4 + data.length);
      new DataView(fdat.buffer).setUint32(0, sequence++);
      fdat.set(data, 4);
      parts.push(chunk("fdAT", fdat));
    }
  }
  parts.push(chunk("IEND", new Uint8Array(0)));
  return new Blob(parts, { type: "image/apng" });
}
