import type { Shape } from './shape';

/** The credit card's own controls in the wallet: show the number with the PIN, freeze, the statement day. */
export const cardControlsZh = {
  reveal: '查看卡号',
  hide: '隐藏卡号',
  revealTitle: '输入支付密码查看卡号',
  revealDetail: '完整卡号和安全码（CVV）仅显示 30 秒，请勿截屏或告诉他人。',
  cvv: '安全码',
  hidesIn: '{{seconds}} 秒后自动隐藏',
  freeze: '冻结卡片',
  unfreeze: '解冻卡片',
  frozenTitle: '卡片已冻结',
  frozenBody: '冻结期间所有消费都会被拒绝；还款、账单和自动还款照常。随时可以解冻。',
  freezeConfirm: '冻结后所有消费都会被拒绝，还款不受影响。确定冻结吗？',
  frozenDone: '已冻结',
  unfrozenDone: '已解冻，可以正常消费',
  statementDay: '修改账单日',
  statementDayTitle: '选择新的账单日',
  statementDayNow: '当前账单日：每月{{day}}日，还款日约为每月{{dueDay}}日。',
  statementDayRule:
    '新账单日从下一个账单周期起生效：本期账单仍在 {{next}} 出具，之后每月按新账单日出账单，到期还款日为账单日后 20 天。过渡期的账单周期会比一个月长或短，免息期照常计算。账单日每 12 个月可修改一次。',
  statementDayPreview: '改为每月{{day}}日：首张新账单日账单 {{from}}，还款日约为每月{{dueDay}}日。',
  statementDayPending: '已改为每月{{day}}日，自 {{from}} 起按新账单日出账单（还款日约为每月{{dueDay}}日）。',
  statementDayLocked: '账单日每 12 个月只能修改一次，{{date}} 起可再次修改。',
  statementDaySave: '确认修改',
  statementDayDone: '账单日已修改',
  day: '{{day}}日',
};

export const cardControlsEn: Shape<typeof cardControlsZh> = {
  reveal: 'Show number',
  hide: 'Hide number',
  revealTitle: 'Enter your payment PIN to see the card number',
  revealDetail: 'The full number and security code (CVV) show for 30 seconds. Do not screenshot or share them.',
  cvv: 'CVV',
  hidesIn: 'Hides in {{seconds}} s',
  freeze: 'Freeze card',
  unfreeze: 'Unfreeze card',
  frozenTitle: 'Your card is frozen',
  frozenBody:
    'While it is frozen every purchase is declined; repayments, statements and automatic repayment go on. ' +
    'Unfreeze it any time.',
  freezeConfirm: 'Every purchase will be declined while the card is frozen; repayments still work. Freeze it?',
  frozenDone: 'Card frozen',
  unfrozenDone: 'Card unfrozen: purchases work again',
  statementDay: 'Change statement day',
  statementDayTitle: 'Choose a new statement day',
  statementDayNow: 'Statement day now: day {{day}} of each month; due around day {{dueDay}}.',
  statementDayRule:
    'A new statement day starts from the next cycle: this cycle’s statement still comes on {{next}}, then ' +
    'statements come on the new day each month, due 20 days later. The cycle in between is longer or shorter ' +
    'than a month; the interest-free period works as usual. You can change the statement day once every 12 months.',
  statementDayPreview: 'Day {{day}}: first statement on the new day {{from}}, due around day {{dueDay}} of each month.',
  statementDayPending:
    'Changed to day {{day}}: statements come on the new day from {{from}} (due around day {{dueDay}}).',
  statementDayLocked: 'The statement day can be changed once every 12 months; you can change it again from {{date}}.',
  statementDaySave: 'Confirm',
  statementDayDone: 'Statement day changed',
  day: 'Day {{day}}',
};
