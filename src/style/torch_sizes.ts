/** Byte sizes the way PyTorch's caching allocator prints them in its messages. */

/** `748.56 MiB`, `2.03 GiB`: two decimals, the largest unit not above the size (torch's format_size). */
export function formatTorchSize(bytes: number): string {
  const b = Math.round(bytes);
  if (b <= 1024) return `${b} bytes`;
  if (b <= 1048576) return `${(b / 1024).toFixed(2)} KiB`;
  if (b <= 1073741824) return `${(b / 1048576).toFixed(2)} MiB`;
  return `${(b / 1073741824).toFixed(2)} GiB`;
}
