import { describe, expect, it } from 'vitest';
import { deviceName, deviceNameOr, readableLabel } from './device-name.js';

const agents = {
  chromeLinux: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  headless:
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36',
  safariIphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) ' +
    'Version/17.0 Mobile/15E148 Safari/604.1',
  wechatAndroid:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile ' +
    'Safari/537.36 MicroMessenger/8.0.49',
  edgeWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120 Safari/537.36 Edg/120',
  safariMac:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) ' +
    'Version/17.1 Safari/605.1.15',
};

describe('deviceName', () => {
  it('names browser and system from real user agents', () => {
    expect(deviceName(agents.chromeLinux)).toBe('Chrome · Linux');
    expect(deviceName(agents.safariIphone)).toBe('Safari · iPhone');
    expect(deviceName(agents.wechatAndroid)).toBe('WeChat · Android');
    expect(deviceName(agents.edgeWindows)).toBe('Edge · Windows');
    expect(deviceName(agents.safariMac)).toBe('Safari · macOS');
    expect(deviceName(agents.headless)).toMatch(/· Linux$/);
  });

  it('is null for an empty or unrecognisable agent, so the caller words "unknown" in its language', () => {
    expect(deviceName('')).toBeNull();
    expect(deviceName('   ')).toBeNull();
    expect(deviceNameOr('', '未知设备')).toBe('未知设备');
  });

  it('never returns a cut user-agent string for a browser', () => {
    for (const agent of Object.values(agents)) expect(deviceName(agent)).not.toMatch(/Mozilla|AppleWeb/);
  });

  it('turns a stored raw user agent into a name and leaves a name alone', () => {
    expect(readableLabel(agents.chromeLinux)).toBe('Chrome · Linux');
    expect(readableLabel('张伟的 iPhone')).toBe('张伟的 iPhone');
  });
});
