import { describe, expect, it } from 'vitest';
import { certificatePdf, manualPdf, markdownBlocks, yuanText } from './pdf.js';

const at = new Date('2026-12-03T03:00:00Z');

describe('savings documents', () => {
  it('writes yuan with separators and two decimals, from fen', () => {
    expect(yuanText(0n)).toBe('0.00');
    expect(yuanText(5n)).toBe('0.05');
    expect(yuanText(123_456_789n)).toBe('1,234,567.89');
    expect(yuanText(-1_000_00n)).toBe('-1,000.00');
  });

  it('reads the manual markdown as headings, paragraphs and list items only', () => {
    expect(markdownBlocks('# 标题\n\n正文 **粗体**\n\n## 小节\n- 一\n* 二\r\n')).toEqual([
      { kind: 'h1', text: '标题' },
      { kind: 'p', text: '正文 粗体' },
      { kind: 'h2', text: '小节' },
      { kind: 'li', text: '一' },
      { kind: 'li', text: '二' },
    ]);
  });

  it('renders a certificate and a manual as PDFs with the Chinese font embedded', async () => {
    const certificate = await certificatePdf({
      certificateNo: 'TBD-20261203-ABCDEFGH',
      holderName: '李*',
      maskedIdNumber: '110***********1234',
      productNameZh: '1年定期存款',
      productNameEn: '1-year term deposit',
      termMonths: 12,
      principalFen: 5_000_000n,
      annualRatePercent: '1.45',
      demandRatePercent: '0.10',
      valueDay: '2026-12-03',
      maturityDay: '2027-12-03',
      atMaturity: 'rollover',
      interestAtMaturityFen: 73_507n,
      status: 'open',
      openedAt: at,
      generatedAt: at,
    });
    expect(certificate.subarray(0, 5).toString()).toBe('%PDF-');
    expect(certificate.toString('latin1')).toContain('SourceHanSansSC');
    const manual = await manualPdf({
      productId: 'TB-MMF',
      nameZh: '通宝余额理财',
      nameEn: 'Tongbao Cash Fund',
      kind: 'fund',
      riskLevel: 'R1',
      minimumFen: 100n,
      rateLinesZh: ['七日年化收益率 1.852%'],
      rateLinesEn: ['7-day annualised yield 1.852%'],
      feesZh: '无',
      feesEn: 'None',
      manualZh: `# 说明书\n\n${'货币基金。'.repeat(400)}\n\n## 风险\n- 有风险`,
      manualEn: '# Manual\n\nA money-market fund.',
      riskWarningZh: '理财非存款。',
      riskWarningEn: 'Not a deposit.',
      version: '3',
      effectiveFrom: at,
      generatedAt: at,
    });
    expect(manual.subarray(0, 5).toString()).toBe('%PDF-');
    // A long manual runs onto a second page rather than off the first.
    expect((manual.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length).toBeGreaterThanOrEqual(2);
  });
});
