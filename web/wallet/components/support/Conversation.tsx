import { FileOutline } from 'antd-mobile-icons';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../format';
import type { Message } from '../../support-api';

/**
 * A ticket's messages as a chat: mine on the right, the other side on the left, system lines in the
 * middle; images shown, PDFs as a link. Scrolls to the newest message when one arrives.
 */
/** A system line is written in both languages, Chinese then English on the next line: show the reader's. */
function systemLine(text: string, english: boolean): string {
  const lines = text.split('\n');
  return lines.length === 2 ? lines[english ? 1 : 0] : text;
}

export function Conversation(props: { messages: Message[]; mine: 'holder' | 'staff'; ticketUrl: string }) {
  const { t, i18n } = useTranslation();
  const end = useRef<HTMLDivElement>(null);
  const count = props.messages.length;
  useEffect(() => {
    if (count) end.current?.scrollIntoView?.({ block: 'end' });
  }, [count]);
  return (
    <div className="tb-sup-conversation" aria-live="polite" data-testid="conversation">
      {props.messages.map((message) => {
        if (message.author === 'system')
          return (
            <p key={message.id} className="tb-sup-system">
              {systemLine(message.text, i18n.language === 'en')}
            </p>
          );
        const mine = message.author === props.mine;
        const given = message.attachment?.url;
        const url = message.attachment
          ? given?.startsWith('/api/')
            ? given
            : `${props.ticketUrl}/attachments/${encodeURIComponent(message.attachment.id)}`
          : null;
        return (
          <div
            key={message.id}
            className={`tb-sup-bubble-row${mine ? ' tb-sup-mine' : ''}`}
            data-testid={`message-${message.author}`}
          >
            <div className="tb-sup-bubble">
              <div className="tb-sup-author">
                {mine
                  ? t('support.tickets.you')
                  : (message.authorName ?? t(`support.tickets.${message.author === 'staff' ? 'agent' : 'system'}`))}
                <time dateTime={message.createdAt}>{formatDateTime(message.createdAt)}</time>
              </div>
              {message.text ? <p>{message.text}</p> : null}
              {message.attachment && url ? (
                message.attachment.contentType.startsWith('image/') ? (
                  <a href={url} target="_blank" rel="noreferrer">
                    <img src={url} alt={message.attachment.fileName} className="tb-sup-image" />
                  </a>
                ) : (
                  <a href={url} target="_blank" rel="noreferrer" className="tb-sup-file">
                    <FileOutline aria-hidden /> {message.attachment.fileName}
                  </a>
                )
              ) : null}
            </div>
          </div>
        );
      })}
      <div ref={end} />
    </div>
  );
}
