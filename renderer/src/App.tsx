import { FluentProvider, MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components'
import type { AtlasBridge } from './atlas-client'
import { Shell } from './Shell'
import { useOsTheme } from './theme'

/** The root: Fluent's theme from the OS, and "Not connected" when the page has no bridge. */
export function App({ atlas }: { atlas: AtlasBridge | null }) {
  const theme = useOsTheme()
  return (
    <FluentProvider theme={theme} style={{ height: '100%' }}>
      {atlas ? (
        <Shell atlas={atlas} />
      ) : (
        <MessageBar intent="error">
          <MessageBarBody>
            <MessageBarTitle>Not connected</MessageBarTitle>
            This page was opened without the Tenant Atlas bridge.
          </MessageBarBody>
        </MessageBar>
      )}
    </FluentProvider>
  )
}
