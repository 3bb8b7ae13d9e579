import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Builds server/identity/common-passwords.txt, the blocklist of passwords too common to allow
 * (NIST SP 800-63B §5.1.1.2). Made from the patterns breach corpora are full of: the classic top
 * passwords, keyboard walks, digit runs and repeats, dates, and common English and pinyin words
 * with the suffixes people add. Deterministic: run it again and the file is the same.
 *
 *   npx tsx scripts/generate-common-passwords.ts
 */

const classics = `123456 123456789 12345678 password 12345 qwerty 1234567 111111 1234567890 123123 000000 abc123 1234 password1
iloveyou 1q2w3e4r 666666 654321 123321 qwertyuiop 7777777 555555 987654321 lovely 888888 princess dragon monkey sunshine
football baseball welcome admin login master hello freedom whatever qazwsx trustno1 letmein shadow superman michael
passw0rd p@ssw0rd p@ssword pa$$word zaq12wsx 1qaz2wsx 1q2w3e 1q2w3e4r5t qwe123 asd123 zxc123 asdfgh zxcvbn zxcvbnm asdfghjkl
5201314 woaini woaini1314 woaini520 a123456 a1234567 a12345678 a123456789 aa123456 abc12345 abcd1234 a1b2c3d4 aaaaaa
qq123456 qwer1234 1314520 520520 521521 woaini123 iloveyou1 wodemima mima123 mima mimamima 147258369 147258 159357 159753
123654 123654789 112233 121212 123qwe qweasd qweasdzxc 1qazxsw2 q1w2e3r4 q1w2e3r4t5 computer internet 88888888 11111111
66666666 00000000 12341234 11223344 1122334455 13145200 52013140 woshishui nihao nihao123 tongbao bank wallet alipay wechat`.split(/\s+/);

const words = `password passwd pass iloveyou qwerty welcome love baby angel apple orange banana cherry flower summer winter spring autumn happy lucky money dragon tiger
monkey panda kitty hello hi sunny star moon sky blue red green black white china beijing shanghai guangzhou shenzhen
hangzhou chengdu wuhan nanjing tianjin xian chongqing qingdao admin user test guest root super power secret
welcome family friend forever soccer basketball game gamer player music movie google baidu taobao jingdong
zhangwei wangwei wangfang lina liuwei lixiuying zhangxiuying wangxiuying liqiang zhangmin wanglei liujun wangyong
zhangjie lijie wangjing zhangli wangli lijing liuyang wangqiang zhanglei liyang zhangyong wangjun chenjing yangyang
xiaoming xiaohong xiaoli xiaowang laowang laoli dage meimei gege jiejie baobao xiaobao beibei tiantian lele
woaini aini qinai laopo laogong aiqing xingfu kuaile pingan jiankang facai fuqi shengri mima zhongguo aiguo
qwerty asdf zxcv azerty abcdef abcdefg abc qazwsx`.split(/\s+/);

const suffixes = ['', '1', '12', '123', '1234', '12345', '123456', '520', '521', '1314', '5201314', '888', '666', '88', '66', '99', '!', '@', '.', '007', '0', '00', '11', '110', '119', '2008', '2012', '2020', '2024', '2025'];
const leet: Record<string, string> = { a: '@', o: '0', i: '1', e: '3', s: '$' };

const keyboardRows = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm', '0987654321', 'poiuytrewq', 'lkjhgfdsa', 'mnbvcxz'];

function add(set: Set<string>, value: string) {
  if (value.length >= 4 && value.length <= 32) set.add(value.toLowerCase());
}

const set = new Set<string>();
for (const word of classics) add(set, word);
for (const word of words) {
  for (const suffix of suffixes) {
    add(set, word + suffix);
    const capital = word[0].toUpperCase() + word.slice(1);
    add(set, capital + suffix);
  }
  add(set, word.replace(/[aoies]/g, (c) => leet[c]));
  add(set, word + word);
  for (let year = 1970; year <= 2025; year++) add(set, `${word}${year}`);
}
for (const row of keyboardRows) for (let len = 4; len <= row.length; len++) for (let start = 0; start + len <= row.length; start++) add(set, row.slice(start, start + len));
for (let digit = 0; digit <= 9; digit++) for (let len = 4; len <= 12; len++) add(set, String(digit).repeat(len));
for (let start = 0; start <= 9; start++) {
  let up = '';
  let down = '';
  for (let i = 0; i < 12; i++) {
    up += String((start + i) % 10);
    down += String((start - i + 100) % 10);
    add(set, up);
    add(set, down);
  }
}
// Dates people use: YYYYMMDD and YYMMDD for 1950–2010, and MMDD pairs doubled.
for (let year = 1950; year <= 2010; year++) {
  for (let month = 1; month <= 12; month++) {
    for (let day = 1; day <= 31; day++) {
      const mm = String(month).padStart(2, '0');
      const dd = String(day).padStart(2, '0');
      if (day <= 28 || month !== 2) {
        add(set, `${year}${mm}${dd}`);
        if (year % 5 === 0) add(set, `${String(year).slice(2)}${mm}${dd}`);
      }
    }
  }
}
for (const a of ['abc', 'qwe', 'asd', 'zxc', 'qaz', 'wsx', 'aaa', 'woaini', 'a', 'aa']) {
  for (const b of ['123', '1234', '12345', '123456', '111', '888', '666', '520', '1314']) add(set, a + b);
}

const list = [...set].sort();
writeFileSync(join(import.meta.dirname, '../server/identity/common-passwords.txt'), `${list.join('\n')}\n`);
console.log(`wrote ${list.length} passwords`);
