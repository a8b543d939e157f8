import { useState } from 'react'
import {
  Link,
  Toast,
  ToastBody,
  Toaster,
  ToastTitle,
  ToolbarButton,
  useId,
  useToastController
} from '@fluentui/react-components'
import { ArrowDownloadRegular } from '@fluentui/react-icons'
import { toShownError, unwrap, type AtlasBridge } from '../atlas-client'
import type { ChannelInput } from '../../../preload/contract'
import { plural } from '../format'

/**
 * "Export CSV" of the view on screen: the page says what (view, tenant, types), main asks where (a save
 * dialog in the app, the fixed export folder under the web host) and writes the documented columns.
 */
export function ExportButton({
  atlas,
  request,
  label,
  onError
}: {
  atlas: AtlasBridge
  request: ChannelInput<'export:csv'>
  label: string
  onError: (e: ReturnType<typeof toShownError>) => void
}) {
  const toasterId = useId('export')
  const { dispatchToast } = useToastController(toasterId)
  const [busy, setBusy] = useState(false)
  const run = async () => {
    setBusy(true)
    try {
      const outcome = await unwrap(atlas.exportCsv(request))
      if (outcome.canceled) return
      dispatchToast(
        <Toast>
          <ToastTitle>Exported {plural(outcome.rows, 'row')}</ToastTitle>
          <ToastBody data-testid="export-done">
            <Link inline as="span">
              {outcome.path}
            </Link>
          </ToastBody>
        </Toast>,
        { intent: 'success', timeout: 8000 }
      )
    } catch (err) {
      onError(toShownError(err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <>
      <ToolbarButton icon={<ArrowDownloadRegular />} onClick={() => void run()} disabled={busy}>
        {label}
      </ToolbarButton>
      <Toaster toasterId={toasterId} position="bottom-end" />
    </>
  )
}
