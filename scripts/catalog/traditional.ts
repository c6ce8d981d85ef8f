/**
 * Two pages of the TCE docs came out of the PDF conversion in traditional characters (StopInstances and
 * ModifyInstancesDisasterRecoverGroup, with their table headers). The parser matches its markers on a simplified
 * copy of each line; descriptions keep the characters the docs print.
 *
 * The map is one character to one character, so positions in the simplified copy are positions in the original.
 * It covers the characters of the markers and of the limit phrases the parser looks for, not the whole script.
 */

const PAIRS =
  '參参數数稱称選选許许類类輸输錯错誤误碼码請请頻频驗验簽签鑒鉴鑑鉴權权時时間间據据結结構构對对見见認认為为' +
  '範范圍围預预設设長长過过個个於于擇择則则項项將将並并後后從从無无態态獲获內内詢询產产專专區区網网絡络讀读' +
  '寫写應应關关閉闭實实單单條条說说與与響响務务僅仅額额際际邊边傳传動动啟启變变值值須须填填選选層层節节點点' +
  '機机體体帶带盤盘組组歸归錄录鍵键標标簽签狀状態态續续費费計计達达邏逻輯辑業业該该暫暂';

const TO_SIMPLIFIED: ReadonlyMap<string, string> = (() => {
  const chars = [...PAIRS];
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < chars.length; i += 2) map.set(chars[i]!, chars[i + 1]!);
  return map;
})();

/** The same text with the traditional characters the parser cares about replaced by their simplified forms. */
export function simplify(text: string): string {
  let out = '';
  for (const ch of text) out += TO_SIMPLIFIED.get(ch) ?? ch;
  return out;
}
