/** Reply templates agents start from in the console (edited in code for now; docs/support.md). */
export const REPLY_TEMPLATES = [
  {
    id: 'greeting',
    titleZh: '问候',
    titleEn: 'Greeting',
    bodyZh: '您好，我是通宝客服，很高兴为您服务。请问有什么可以帮您？',
    bodyEn: 'Hello, this is Tongbao customer service. How can I help you?',
  },
  {
    id: 'payment-failed',
    titleZh: '付款失败',
    titleEn: 'Payment failed',
    bodyZh: '您好，我们已查看该笔记录，失败原因如下：……。建议您……。如有其他问题请随时联系我们。',
    bodyEn: 'Hello, we have looked at this record. It failed because … . We suggest … . Write to us any time.',
  },
  {
    id: 'need-evidence',
    titleZh: '补充材料',
    titleEn: 'Need evidence',
    bodyZh: '为尽快处理，请补充付款截图、聊天记录或报警回执，可直接在此上传图片或 PDF。',
    bodyEn:
      'To move faster, please add payment screenshots, chat records or the police report; you can upload images ' +
      'or PDFs here.',
  },
  {
    id: 'unfreeze',
    titleZh: '解冻指引',
    titleEn: 'How to unfreeze',
    bodyZh: '您可以在“我的-安全-解冻”中，验证短信、登录密码和身份证号后自助解冻。',
    bodyEn: 'You can unfreeze yourself under Me › Security › Unfreeze with an SMS code, your password and ID number.',
  },
  {
    id: 'closing',
    titleZh: '结束语',
    titleEn: 'Closing',
    bodyZh: '感谢您的耐心，如问题已解决，欢迎为本次服务评价。',
    bodyEn: 'Thank you for your patience. If your problem is solved, please rate our service.',
  },
] as const;
