import Bowser from 'bowser';

/**
 * One readable name for a device from its user-agent string, everywhere a device is shown (sessions,
 * trusted devices, payment-code devices, new-device notices, the console): "Chrome · Android",
 * "Safari · iPhone", "WeChat · iOS". Parsed by bowser, a maintained parser, not by our own regexes.
 * Null when nothing can be recognised (an empty string, curl), so each caller words "unknown" in its
 * own language.
 */
export function deviceName(userAgent: string): string | null {
  const agent = userAgent.trim();
  if (!agent) return null;
  const parsed = Bowser.parse(agent);
  const browser = BROWSER_NAMES[parsed.browser.name ?? ''] ?? parsed.browser.name ?? '';
  const model =
    parsed.platform.model && /^(iPhone|iPad|iPod)$/.test(parsed.platform.model) ? parsed.platform.model : '';
  const system = model || SYSTEM_NAMES[parsed.os.name ?? ''] || parsed.os.name || '';
  const name = [browser, system].filter(Boolean).join(' · ');
  return name || null;
}

/** The name, or the fallback when the agent says nothing recognisable. */
export function deviceNameOr(userAgent: string, fallback: string): string {
  return deviceName(userAgent) ?? fallback;
}

/** A stored label that is still a raw user-agent string (devices trusted before names were parsed). */
export function readableLabel(label: string): string {
  return /^Mozilla\/|AppleWebKit|\(KHTML/.test(label) ? deviceNameOr(label, label.slice(0, 40)) : label;
}

const BROWSER_NAMES: Record<string, string> = {
  'Microsoft Edge': 'Edge',
  'Samsung Internet for Android': 'Samsung Internet',
  'Android Browser': 'Android Browser',
  'QQ Browser': 'QQ Browser',
};

const SYSTEM_NAMES: Record<string, string> = { MacOS: 'macOS', macOS: 'macOS', 'Chrome OS': 'ChromeOS' };
