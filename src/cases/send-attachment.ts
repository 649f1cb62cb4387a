import { create as contentDisposition } from 'content-disposition';
import type { FastifyReply } from 'fastify';

/**
 * A file goes out as a download, never shown inline: `attachment` with the name encoded by
 * content-disposition (a CR/LF or non-Latin-1 name cannot break the header), nosniff, and a
 * sandboxing CSP in case a browser opens it anyway.
 */
export function sendAttachment(
  reply: FastifyReply,
  file: { fileName: string; mediaType: string; quarantined: boolean; bytes: Buffer },
) {
  const type =
    file.quarantined || file.mediaType === 'image/svg+xml' ? 'application/octet-stream' : file.mediaType;
  return reply
    .header('content-type', type)
    .header(
      'content-disposition',
      contentDisposition(file.fileName.replace(/[\r\n]/g, ' '), { type: 'attachment' }),
    )
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('cache-control', 'no-store')
    .header('x-haven-quarantined', String(file.quarantined))
    .send(file.bytes);
}
