import {
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Button
} from '@fluentui/react-components'
import { DismissRegular } from '@fluentui/react-icons'
import type { ShownError } from '../atlas-client'

/** An engine error as the user sees it: human message, stable code (for support and docs), hint. */
export function ErrorBar({ error, onDismiss }: { error: ShownError; onDismiss?: () => void }) {
  return (
    <MessageBar intent="error" role="alert" data-testid="error-bar" data-code={error.code}>
      <MessageBarBody>
        <MessageBarTitle>{error.message}</MessageBarTitle>
        <code>{error.code}</code>
        {error.hint ? <div>{error.hint}</div> : null}
      </MessageBarBody>
      {onDismiss ? (
        <MessageBarActions
          containerAction={
            <Button
              appearance="transparent"
              aria-label="Dismiss"
              icon={<DismissRegular />}
              onClick={onDismiss}
            />
          }
        />
      ) : null}
    </MessageBar>
  )
}
