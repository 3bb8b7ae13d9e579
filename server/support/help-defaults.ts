import type { ArticleContent } from './store-help.js';

/**
 * The help centre's first edition, from the seeds' FAQ and troubleshooting: written once into the
 * database when it has no articles, then edited by staff as versioned data (docs/support.md).
 * Each answer links to the page that does the thing.
 */

export const HELP_CATEGORIES = [
  'password',
  'freeze',
  'payment_failed',
  'theft',
  'abnormal_account',
  'prevention',
  'credit_record',
  'compatibility',
  'complaint',
] as const;
export type HelpCategory = (typeof HELP_CATEGORIES)[number];

const contactAction = { labelZh: '联系客服', labelEn: 'Contact us', path: '/support/contact' };

export const DEFAULT_ARTICLES: { slug: string; category: HelpCategory; content: ArticleContent }[] = [
  {
    slug: 'forgot-password',
    category: 'password',
    content: {
      titleZh: '忘记登录密码怎么办？',
      titleEn: 'I forgot my sign-in password',
      summaryZh: '通过短信或已验证的邮箱，核对身份证号和姓名后设置新密码。',
      summaryEn:
        'Confirm who you are by SMS or your verified e-mail, with your ID number and name, then set a new one.',
      bodyZh:
        '在登录页点击“忘记密码”，输入手机号获取短信验证码（或使用已验证的邮箱接收验证码），再填写身份证号和' +
        '姓名并设置新密码。重置后所有设备需重新登录。忘记支付密码请在“我的-安全”中重置支付密码。',
      bodyEn:
        'On the sign-in page choose “Forgot password”, get a code by SMS (or by your verified e-mail), enter your ID ' +
        'number and name, and set a new password. Every device is signed out. A forgotten payment PIN is reset ' +
        'under Me › Security.',
      keywords: ['密码', '忘记', '重置', 'password', 'reset', 'forgot', 'PIN', '支付密码'],
      actions: [
        { labelZh: '重置登录密码', labelEn: 'Reset password', path: '/forgot-password' },
        { labelZh: '重置支付密码', labelEn: 'Reset payment PIN', path: '/me/pin/reset' },
      ],
    },
  },
  {
    slug: 'freeze-account',
    category: 'freeze',
    content: {
      titleZh: '如何冻结或解冻钱包？',
      titleEn: 'Freezing and unfreezing my wallet',
      summaryZh: '发现异常请立即冻结；解冻需短信验证码、登录密码和身份证号。',
      summaryEn: 'Freeze at once if something looks wrong; unfreezing needs an SMS code, your password and ID number.',
      bodyZh:
        '冻结后所有付款、转账和提现都会被拒绝，收款不受影响。手机丢失时可在登录页用短信验证码冻结。' +
        '解冻需验证短信、登录密码和身份证号；由风控冻结的账户请联系客服。',
      bodyEn:
        'While frozen every payment, transfer and withdrawal is refused; money still comes in. If your phone is ' +
        'lost, freeze from the sign-in page with an SMS code. Unfreezing needs an SMS code, your password and ' +
        'your ID number; if the bank froze it, contact us.',
      keywords: ['冻结', '解冻', 'freeze', 'unfreeze', '丢失'],
      actions: [
        { labelZh: '立即冻结', labelEn: 'Freeze now', path: '/me/freeze' },
        { labelZh: '解冻', labelEn: 'Unfreeze', path: '/me/unfreeze' },
      ],
    },
  },
  {
    slug: 'payment-failed',
    category: 'payment_failed',
    content: {
      titleZh: '付款或转账失败怎么办？',
      titleEn: 'A payment or transfer failed',
      summaryZh: '打开该笔记录查看失败原因：余额不足、超出限额、账户受限、系统维护或风险确认。',
      summaryEn: 'Open the record to see why: balance, a limit, a restriction, maintenance or a risk check.',
      bodyZh:
        '常见原因：1. 余额不足，请先充值；2. 超出单笔或每日限额，可完成实名认证提升限额；3. 账户因安全原因' +
        '受限，请查看“我的限制”；4. 系统维护，请关注公告；5. 需要确认的风险交易，请在通知中确认；' +
        '6. 网络问题，请检查网络后重试。仍无法解决请联系客服。',
      bodyEn:
        'Common causes: 1. not enough balance — top up first; 2. a per-payment or daily limit — verify your identity ' +
        'to raise it; 3. your account is restricted for security — see My restrictions; 4. system maintenance — ' +
        'watch the announcements; 5. a payment held for you to confirm — confirm it from the notice; 6. the network ' +
        '— check it and try again. If it still fails, contact us.',
      keywords: ['失败', '付款', '转账', '余额', '限额', 'failed', 'payment', 'transfer', 'limit', 'balance'],
      actions: [
        { labelZh: '我的限制', labelEn: 'My restrictions', path: '/me/restrictions' },
        { labelZh: '提交工单', labelEn: 'Open a ticket', path: '/support/tickets/new?category=payment_failed' },
      ],
    },
  },
  {
    slug: 'stolen-money',
    category: 'theft',
    content: {
      titleZh: '手机被盗或资金被盗怎么办？',
      titleEn: 'My phone or my money was stolen',
      summaryZh: '立即报告被盗：冻结钱包、退出所有设备，并开立案件；补充报警回执等证据。',
      summaryEn: 'Report theft at once: the wallet freezes, every device signs out and a case opens; add evidence.',
      bodyZh:
        '点击“报告被盗”后，钱包立即冻结，所有设备退出登录，待处理款项撤销，并为您开立案件。请尽快报警，' +
        '并在案件页面补充报警回执编号和聊天截图。若被盗资金仍在平台内，银行可冻结收款方钱包中的资金并经' +
        '复核后退还给您。',
      bodyEn:
        'Reporting theft freezes the wallet, signs out every device, cancels pending payments and opens a case. ' +
        'Call the police, then add the report number and chat screenshots to the case. If the stolen money is ' +
        'still inside the platform, the bank can hold it in the receiving wallet and, after a second review, ' +
        'return it to you.',
      keywords: ['被盗', '盗刷', '诈骗', 'theft', 'stolen', 'fraud', '报警'],
      actions: [
        { labelZh: '报告被盗', labelEn: 'Report theft', path: '/me/report-theft' },
        { labelZh: '我的案件', labelEn: 'My cases', path: '/support/cases' },
      ],
    },
  },
  {
    slug: 'abnormal-account',
    category: 'abnormal_account',
    content: {
      titleZh: '账户提示异常或被限制',
      titleEn: 'My account shows abnormal activity or is restricted',
      summaryZh: '风控发现异常活动时会限制部分功能，“我的限制”会说明原因和解除方式。',
      summaryEn:
        'When unusual activity is seen some features are limited; My restrictions says why and how to lift it.',
      bodyZh:
        '为保障资金安全，检测到异地登录、频繁失败或可疑交易时，账户可能被限制。请查看“我的限制”了解原因；' +
        '建议修改登录密码，并检查登录设备。如需帮助请联系客服。',
      bodyEn:
        'To keep your money safe the account may be limited after sign-ins from new places, repeated failures or ' +
        'suspicious payments. See My restrictions for the reason; change your password and check your devices. ' +
        'Contact us if you need help.',
      keywords: ['异常', '限制', '风控', 'restricted', 'abnormal', 'risk'],
      actions: [
        { labelZh: '我的限制', labelEn: 'My restrictions', path: '/me/restrictions' },
        { labelZh: '修改密码', labelEn: 'Change password', path: '/me/password' },
      ],
    },
  },
  {
    slug: 'prevention-tips',
    category: 'prevention',
    content: {
      titleZh: '防骗安全提示',
      titleEn: 'Staying safe from scams',
      summaryZh: '不要向任何人透露验证码和支付密码；银行不会要求您转账到“安全账户”。',
      summaryEn: 'Never tell anyone a code or your PIN; the bank never asks you to move money to a “safe account”.',
      bodyZh:
        '1. 验证码、支付密码只用于本人操作，任何人索要都是诈骗；2. 不点击陌生链接，不安装来历不明的应用；' +
        '3. 警惕冒充客服、公检法、熟人借钱；4. 开启免密支付前设置合理额度；5. 定期检查登录设备。',
      bodyEn:
        '1. Codes and your PIN are for you alone — anyone asking is a scammer; 2. do not open unknown links or ' +
        'install unknown apps; 3. beware of fake customer service, fake police and “friends” borrowing money; ' +
        '4. keep password-free limits low; 5. check your signed-in devices regularly.',
      keywords: ['防骗', '安全', '诈骗', 'scam', 'safety', 'tips'],
      actions: [{ labelZh: '查看登录设备', labelEn: 'My devices', path: '/me/devices' }],
    },
  },
  {
    slug: 'credit-record',
    category: 'credit_record',
    content: {
      titleZh: '会影响我的征信吗？',
      titleEn: 'Does this affect my credit record?',
      summaryZh: '钱包付款、转账和冻结不会上报征信；账单逾期以出账机构的规定为准。',
      summaryEn: 'Wallet payments, transfers and freezes are not reported; late bills follow the biller’s rules.',
      bodyZh:
        '通宝钱包本身不提供贷款，不向征信机构报送付款、转账或冻结记录。通过钱包缴纳的账单若逾期，' +
        '是否影响信用以出账机构的规定为准。如对记录有异议请联系客服。',
      bodyEn:
        'Tongbao lends nothing and reports no payments, transfers or freezes to credit bureaus. Whether a late bill ' +
        'paid through the wallet affects your credit is for the biller to say. Contact us if you dispute a record.',
      keywords: ['征信', '信用', 'credit'],
      actions: [contactAction],
    },
  },
  {
    slug: 'compatibility',
    category: 'compatibility',
    content: {
      titleZh: '支持哪些手机和浏览器？',
      titleEn: 'Which phones and browsers work?',
      summaryZh: '支持近三年的 iOS、Android 系统浏览器；页面打不开请检查网络并更新浏览器。',
      summaryEn: 'Recent iOS and Android browsers work; if pages will not open, check the network and update.',
      bodyZh:
        '通宝是网页应用，可添加到主屏幕使用。请使用最新版的 Safari、Chrome 或系统浏览器；通行密钥需要设备' +
        '支持生物识别。页面无法加载时，请检查网络、关闭省流模式或清除缓存后重试。',
      bodyEn:
        'Tongbao is a web app you can add to your home screen. Use a current Safari, Chrome or system browser; ' +
        'passkeys need a device with biometrics. If a page will not load, check the network, turn off data saver ' +
        'or clear the cache and try again.',
      keywords: ['兼容', '浏览器', '网络', 'browser', 'network', 'compatibility'],
      actions: [contactAction],
    },
  },
  {
    slug: 'how-to-complain',
    category: 'complaint',
    content: {
      titleZh: '如何投诉？',
      titleEn: 'How do I complain?',
      summaryZh: '在线提交投诉、拨打客服热线；我们在 15 日内答复，复杂情况不超过 30 日。',
      summaryEn: 'Complain online or by phone; we answer within 15 days, 30 for complex cases.',
      bodyZh:
        '您可以在“客服-投诉”在线提交，或拨打客服热线按提示选择投诉。我们收到后立即确认，15 日内给出处理结果，' +
        '情况复杂的延长至 30 日并告知原因。对结果不满意，可拨打 12363 向中国人民银行反映。',
      bodyEn:
        'Complain online under Support › Complaint, or call the hotline and choose “complaint”. We acknowledge at ' +
        'once and decide within 15 days, or 30 for complex cases (we tell you why). If you disagree with the ' +
        'decision you can call the People’s Bank of China on 12363.',
      keywords: ['投诉', '建议', '反馈', 'complaint', 'feedback'],
      actions: [
        { labelZh: '在线投诉', labelEn: 'Complain online', path: '/support/tickets/new?category=complaint_service' },
        contactAction,
      ],
    },
  },
];
