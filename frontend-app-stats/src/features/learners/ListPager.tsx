// Which learners this page shows ("51–100 of 1,234 learners") and the pages (Paragon Pagination).
import { useIntl } from '@edx/frontend-platform/i18n';
import { Pagination } from '@openedx/paragon';
import { PAGE_SIZE } from './listState.ts';
import messages from './messages.ts';

export function ListPager({
  page,
  total,
  onPage,
}: {
  page: number;
  total: number;
  onPage: (page: number) => void;
}) {
  const intl = useIntl();
  const pageCount = Math.ceil(total / PAGE_SIZE);
  const first = Math.min((page - 1) * PAGE_SIZE + 1, total);
  const last = Math.min(page * PAGE_SIZE, total);
  return (
    <div className="d-flex flex-wrap justify-content-between align-items-center">
      <p className="mb-2" aria-live="polite">
        {intl.formatMessage(messages.pageRange, {
          first: intl.formatNumber(first),
          last: intl.formatNumber(last),
          total,
        })}
      </p>
      {pageCount > 1 && (
        <Pagination
          className="mb-2"
          paginationLabel={intl.formatMessage(messages.pagination)}
          pageCount={pageCount}
          currentPage={Math.min(page, pageCount)}
          onPageSelect={onPage}
          buttonLabels={{
            previous: intl.formatMessage(messages.previous),
            next: intl.formatMessage(messages.next),
            page: intl.formatMessage(messages.page),
            currentPage: intl.formatMessage(messages.currentPage),
            pageOfCount: intl.formatMessage(messages.pageOfCount),
          }}
        />
      )}
    </div>
  );
}
