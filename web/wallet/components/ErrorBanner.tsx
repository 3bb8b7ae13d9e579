import { NoticeBar } from 'antd-mobile';

/** A red banner read out by screen readers as soon as it appears. */
export function ErrorBanner(props: { message: string | null | undefined }) {
  if (!props.message) return null;
  return (
    <div role="alert" className="tb-error-banner">
      <NoticeBar color="error" content={props.message} wrap />
    </div>
  );
}
