import { MenuItem, SimpleMenu, Table, Tbody, Td, Th, Thead, Tr, Typography, VisuallyHidden } from '@strapi/design-system';

import { OPERATION_KINDS, type FieldCounts, type OperationKind, type OperationScope } from '../../../../common/contracts/thumbnail-operations';
import { usePluginIntl } from '../../hooks/usePluginIntl';
import { sumCounts } from '../../utils/operations';
import { kindLabel, scopeLabel } from './labels';

interface CountsTableProps {
  fields: FieldCounts[];
  /** an action picked for one row (one field of one content type) */
  onAction: (kind: OperationKind, scope: OperationScope) => void;
}

type Counts = ReturnType<typeof sumCounts>;
// The design-system's Th carries role="gridcell"; role="columnheader" makes each a header for assistive technology.
const COLUMNS = ['total', 'ready', 'pending', 'failed', 'missing', 'otherDefaults', 'replaced'] as const;

/** One row per content type and COS video field with its thumbnail counts, a totals row, and each row's actions. */
export const CountsTable = ({ fields, onAction }: CountsTableProps) => {
  const { t, formatNumber, formatDate } = usePluginIntl();
  const heading: Record<(typeof COLUMNS)[number], string> = {
    total: t('thumbnails.count.total', 'Values'),
    ready: t('thumbnails.count.ready', 'Ready'),
    pending: t('thumbnails.count.pending', 'Pending'),
    failed: t('thumbnails.count.failed', 'Failed'),
    missing: t('thumbnails.count.missing', 'Missing'),
    otherDefaults: t('thumbnails.count.otherDefaults', 'Other defaults'),
    replaced: t('thumbnails.count.replaced', 'Video replaced'),
  };
  const notChecked = t('thumbnails.count.notChecked', 'not checked yet');
  const cells = (c: Counts, checkedAt?: string | null) =>
    COLUMNS.map((k) => {
      const v = c[k];
      const title = k === 'replaced' && checkedAt ? t('thumbnails.count.checkedAt', 'Checked {when}', { when: formatDate(checkedAt, { dateStyle: 'medium', timeStyle: 'short' }) }) : undefined;
      return (
        <Td key={k} data-count={k} title={title}>
          <Typography textColor={v === null ? 'neutral600' : k === 'failed' && v > 0 ? 'danger600' : 'neutral800'}>
            {v === null ? notChecked : formatNumber(v)}
          </Typography>
        </Td>
      );
    });
  const total = sumCounts(fields);
  return (
    <Table colCount={COLUMNS.length + 3} rowCount={fields.length + 2}>
      <Thead>
        <Tr>
          <Th role="columnheader">
            <Typography variant="sigma">{t('thumbnails.col.type', 'Content type')}</Typography>
          </Th>
          <Th role="columnheader">
            <Typography variant="sigma">{t('thumbnails.col.field', 'Field')}</Typography>
          </Th>
          {COLUMNS.map((k) => (
            <Th key={k} role="columnheader">
              <Typography variant="sigma">{heading[k]}</Typography>
            </Th>
          ))}
          <Th role="columnheader">
            <VisuallyHidden>{t('thumbnails.col.actions', 'Actions')}</VisuallyHidden>
          </Th>
        </Tr>
      </Thead>
      <Tbody>
        {fields.map((f) => {
          const name = scopeLabel(t, { type: f.displayName, field: f.fieldPath });
          return (
            <Tr key={`${f.uid}|${f.fieldPath}`} data-testid="cos-video-thumbnail-counts" data-uid={f.uid} data-field={f.fieldPath}>
              <Td>
                <Typography fontWeight="semiBold">{f.displayName}</Typography>
              </Td>
              <Td>
                <Typography tag="code">{f.fieldPath}</Typography>
              </Td>
              {cells(f, f.replacedCheckedAt)}
              <Td>
                <SimpleMenu
                  label={t('thumbnails.rowActions', 'Actions')}
                  aria-label={t('thumbnails.rowActionsFor', 'Actions for {name}', { name })}
                  variant="tertiary"
                  size="S"
                >
                  {OPERATION_KINDS.map((kind) => (
                    <MenuItem key={kind} onSelect={() => onAction(kind, { uid: f.uid, fieldPath: f.fieldPath })}>
                      {kindLabel(t, kind)}
                    </MenuItem>
                  ))}
                </SimpleMenu>
              </Td>
            </Tr>
          );
        })}
        <Tr data-testid="cos-video-thumbnail-counts" data-uid="" data-field="">
          <Td>
            <Typography fontWeight="bold">{t('thumbnails.scope.all', 'All content types')}</Typography>
          </Td>
          <Td />
          {cells(total)}
          <Td />
        </Tr>
      </Tbody>
    </Table>
  );
};
