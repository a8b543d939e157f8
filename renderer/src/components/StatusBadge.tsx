import type { ReactElement } from 'react'
import { Badge, makeStyles, Spinner, type BadgeProps } from '@fluentui/react-components'
import {
  CheckmarkCircle12Filled,
  Clock12Regular,
  ErrorCircle12Filled,
  LockClosed12Regular,
  StopRegular,
  Timer12Regular,
  Warning12Filled
} from '@fluentui/react-icons'
import type { Status } from '../status'

/**
 * THE status vocabulary of the window (ui-design.md §4): every state is icon + word + colour, never colour
 * alone, and looks the same on every screen. Screens pick a Status (status.ts) and a detail text; they
 * never choose colours themselves.
 */
interface Look {
  appearance: NonNullable<BadgeProps['appearance']>
  color: NonNullable<BadgeProps['color']>
  icon?: ReactElement
  word: string
}

const LOOKS: Record<Status, Look> = {
  success: { appearance: 'tint', color: 'success', icon: <CheckmarkCircle12Filled />, word: 'Complete' },
  partial: { appearance: 'tint', color: 'warning', icon: <Warning12Filled />, word: 'Partial' },
  failed: { appearance: 'filled', color: 'danger', icon: <ErrorCircle12Filled />, word: 'Failed' },
  skipped: { appearance: 'outline', color: 'subtle', word: 'Skipped' },
  cancelled: { appearance: 'outline', color: 'subtle', icon: <StopRegular />, word: 'Cancelled' },
  abandoned: { appearance: 'outline', color: 'warning', word: 'Interrupted' },
  running: { appearance: 'tint', color: 'brand', word: 'Running' },
  pending: { appearance: 'outline', color: 'subtle', word: 'Pending' },
  queued: { appearance: 'outline', color: 'informative', icon: <Clock12Regular />, word: 'Queued' },
  throttled: { appearance: 'tint', color: 'warning', icon: <Timer12Regular />, word: 'Waiting' },
  not_collected: {
    appearance: 'tint',
    color: 'severe',
    icon: <LockClosed12Regular />,
    word: 'Not collected'
  },
  not_selected: { appearance: 'ghost', color: 'informative', word: 'Not selected' },
  absent: { appearance: 'outline', color: 'danger', word: 'Absent' },
  low_confidence: { appearance: 'tint', color: 'warning', icon: <Warning12Filled />, word: 'Low confidence' },
  normal_confidence: { appearance: 'ghost', color: 'informative', word: 'Normal confidence' },
  idle: { appearance: 'ghost', color: 'informative', word: 'Idle' },
  readable: { appearance: 'tint', color: 'success', icon: <CheckmarkCircle12Filled />, word: 'Readable' },
  missing_permission: {
    appearance: 'tint',
    color: 'severe',
    icon: <LockClosed12Regular />,
    word: 'Missing permission'
  },
  not_licensed: { appearance: 'outline', color: 'warning', word: 'Not licensed' },
  never: { appearance: 'ghost', color: 'informative', word: 'Never synced' }
}

const useStyles = makeStyles({ badge: { whiteSpace: 'nowrap', flexShrink: 0 } })

export function StatusBadge({ status, detail }: { status: Status; detail?: string | undefined }) {
  const styles = useStyles()
  const look = LOOKS[status]
  const icon = status === 'running' ? <Spinner size="extra-tiny" /> : look.icon
  return (
    <Badge
      appearance={look.appearance}
      color={look.color}
      icon={icon}
      shape="rounded"
      className={styles.badge}
      data-status={status}
    >
      {detail ? `${look.word} · ${detail}` : look.word}
    </Badge>
  )
}
