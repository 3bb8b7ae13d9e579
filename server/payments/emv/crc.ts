/**
 * CRC-16/CCITT-FALSE (ISO/IEC 13239): polynomial 0x1021, initial value 0xFFFF, no reflection, no
 * final XOR. EMV MPM computes it over the UTF-8 bytes of the payload up to and including "6304".
 */

const TABLE = (() => {
  const table = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    table[byte] = crc;
  }
  return table;
})();

export function crc16CcittFalse(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (const byte of bytes) crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >> 8) ^ byte) & 0xff];
  return crc;
}

/** The CRC of a text's UTF-8 bytes as 4 uppercase hex characters, as tag 63 carries it. */
export function emvCrc(text: string): string {
  return crc16CcittFalse(new TextEncoder().encode(text)).toString(16).toUpperCase().padStart(4, '0');
}
