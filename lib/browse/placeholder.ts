/** The image shown for an item without art: a neutral square with a music note. */
const SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><rect width="100" height="100" fill="#e0e0e0"/><path d="M42 28v32.5A10 10 0 1 0 48 70V40h16V28z" fill="#9e9e9e"/></svg>`;

export function placeholderCover(): { bytes: Uint8Array; contentType: string } {
  return { bytes: new TextEncoder().encode(SVG), contentType: "image/svg+xml" };
}
