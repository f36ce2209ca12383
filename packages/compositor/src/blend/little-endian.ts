/** Whether this machine stores the low byte of a 32-bit word first (every common Node target). */
export const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
