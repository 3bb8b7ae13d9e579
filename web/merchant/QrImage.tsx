import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

/** A QR code drawn in the browser from its payload, large and crisp enough to print. */
export function QrImage(props: { text: string; label: string; testId?: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    QRCode.toDataURL(props.text, { margin: 2, width: 640, errorCorrectionLevel: 'M' })
      .then((url) => live && setSrc(url))
      .catch(() => live && setSrc(null));
    return () => {
      live = false;
    };
  }, [props.text]);
  return src ? (
    <img src={src} alt={props.label} className="mc-qr" data-testid={props.testId} />
  ) : (
    <div className="mc-qr" style={{ aspectRatio: '1' }} aria-busy />
  );
}
