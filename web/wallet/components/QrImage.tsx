import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

/** A QR code rendered in the browser as an image with a spoken name. */
export function QrImage(props: { text: string; label: string; size?: number; testId?: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    QRCode.toDataURL(props.text, { margin: 1, width: (props.size ?? 200) * 2, errorCorrectionLevel: 'M' })
      .then((url) => live && setSrc(url))
      .catch(() => live && setSrc(null));
    return () => {
      live = false;
    };
  }, [props.text, props.size]);
  const size = props.size ?? 200;
  return src ? (
    <img src={src} alt={props.label} width={size} height={size} className="tb-qr" data-testid={props.testId} />
  ) : (
    <div style={{ width: size, height: size }} aria-busy />
  );
}
