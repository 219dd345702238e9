// The PDF view: one page on a canvas (fit to width by default), page navigation, zoom,
// rotation of the view (never of the stored file), a strip of page thumbnails, and keys for
// all of it while the view has focus. Used full size by the viewer and small beside the
// labelling form.
import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type MutableRefObject } from 'react';
import type { PDFDocumentLoadingTask } from 'pdfjs-dist';
import { useServices } from '../../shared/services';
import { useT } from '../../shared/i18n';
import { isTyping } from '../../shared/hooks';
import { ErrorBox, Keys } from '../../shared/ui';
import { isCancelled, openPdf, type PDFDocumentProxy, type RenderTask } from './pdf';

type Zoom = 'fit' | number;

const MIN_SCALE = 0.25;
const MAX_SCALE = 4;
const ZOOM_STEP = 1.25;
/** Room left around the page inside the scroll area when fitting its width. */
const FIT_MARGIN = 24;
const THUMB_WIDTH = 72;

interface PdfViewProps {
  id: number;
  /** Small layout for the labelling preview: no thumbnail strip for one-page documents. */
  compact?: boolean;
  autoFocus?: boolean;
  onClose?: () => void;
  /** Page tools (issue 6, PageTools.tsx): the page to open at, and the page shown, told to the host. */
  initialPage?: number;
  onPageChange?: (page: number) => void;
}

function clampScale(scale: number): number {
  return Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale));
}

/** Sizes the canvas for the screen's pixel density and paints the page; resolves when painted. */
function paint(canvas: HTMLCanvasElement, page: Awaited<ReturnType<PDFDocumentProxy['getPage']>>, scale: number, rotation: number): RenderTask {
  const viewport = page.getViewport({ scale, rotation });
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.max(1, Math.floor(viewport.width * ratio));
  canvas.height = Math.max(1, Math.floor(viewport.height * ratio));
  canvas.style.width = `${Math.floor(viewport.width)}px`;
  canvas.style.height = `${Math.floor(viewport.height)}px`;
  return page.render({ canvas, viewport, transform: ratio === 1 ? undefined : [ratio, 0, 0, ratio, 0, 0] });
}

function PageThumb(props: {
  doc: PDFDocumentProxy;
  pageNumber: number;
  rotation: number;
  active: boolean;
  queue: MutableRefObject<Promise<void>>;
  onSelect(page: number): void;
}) {
  const { doc, pageNumber, rotation, active, queue, onSelect } = props;
  const tr = useT();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [visible, setVisible] = useState(false);

  useEffect(() => {
    const button = buttonRef.current;
    if (!button) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) {
        setVisible(true);
        observer.disconnect();
      }
    });
    observer.observe(button);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    if (active) buttonRef.current?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [active]);

  useEffect(() => {
    if (!visible) return;
    let cancelled = false;
    let task: RenderTask | null = null;
    // One thumbnail at a time, so the page being read is never starved by the strip.
    queue.current = queue.current.then(async () => {
      if (cancelled || !canvasRef.current) return;
      try {
        const page = await doc.getPage(pageNumber);
        const angle = (page.rotate + rotation) % 360;
        const scale = THUMB_WIDTH / page.getViewport({ scale: 1, rotation: angle }).width;
        if (cancelled || !canvasRef.current) return;
        task = paint(canvasRef.current, page, scale, angle);
        await task.promise;
      } catch {
        // A thumbnail that fails just stays blank; the page itself reports its error.
      }
    });
    return () => {
      cancelled = true;
      task?.cancel();
    };
  }, [visible, doc, pageNumber, rotation, queue]);

  return (
    <button
      ref={buttonRef}
      type="button"
      className="page-thumb"
      aria-current={active ? 'page' : undefined}
      aria-label={tr('viewer.pageN', { page: pageNumber })}
      tabIndex={-1}
      onClick={() => onSelect(pageNumber)}
    >
      <canvas ref={canvasRef} data-testid="pdf-thumb" />
      <span>{pageNumber}</span>
    </button>
  );
}

export function PdfView({ id, compact = false, autoFocus = false, onClose, initialPage = 1, onPageChange }: PdfViewProps) {
  const { host } = useServices();
  const tr = useT();
  const rootRef = useRef<HTMLDivElement>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const thumbQueue = useRef<Promise<void>>(Promise.resolve());
  const [doc, setDoc] = useState<PDFDocumentProxy | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pageNumber, setPageNumber] = useState(1);
  const [pageInput, setPageInput] = useState('1');
  const [rotation, setRotation] = useState(0);
  const [zoom, setZoom] = useState<Zoom>('fit');
  const [scale, setScale] = useState(1);
  const [width, setWidth] = useState(0);
  const pageCount = doc?.numPages ?? 0;
  // Read through a ref so a language switch re-labels errors without reloading the document.
  const trRef = useRef(tr);
  trRef.current = tr;
  // Read once per document: an edit remounts the view (PageTools) at the page being worked on.
  const initialPageRef = useRef(initialPage);

  useEffect(() => {
    let cancelled = false;
    let task: PDFDocumentLoadingTask | null = null;
    setDoc(null);
    setError(null);
    setPageNumber(initialPageRef.current);
    setRotation(0);
    setZoom('fit');
    thumbQueue.current = Promise.resolve();
    host
      .fetchDocument(id)
      .then(
        (data) => {
          if (cancelled) return;
          task = openPdf(data);
          return task.promise.then(
            (loaded) => {
              if (!cancelled) setDoc(loaded);
            },
            (problem: unknown) => {
              if (!cancelled) setError(trRef.current('viewer.broken', { reason: problem instanceof Error ? problem.message : String(problem) }));
            },
          );
        },
        (problem: unknown) => {
          if (!cancelled) setError(problem instanceof Error && problem.message ? problem.message : trRef.current('host.unreachable'));
        },
      )
      .catch(() => undefined);
    return () => {
      cancelled = true;
      void task?.destroy();
    };
  }, [host, id]);

  useEffect(() => {
    const area = scrollRef.current;
    if (!area) return;
    const observer = new ResizeObserver(() => setWidth(area.clientWidth));
    observer.observe(area);
    setWidth(area.clientWidth);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    if (autoFocus) rootRef.current?.focus();
  }, [autoFocus]);

  useEffect(() => setPageInput(String(pageNumber)), [pageNumber]);
  useEffect(() => onPageChange?.(pageNumber), [pageNumber, onPageChange]);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!doc || !canvas || width === 0) return;
    let cancelled = false;
    let task: RenderTask | null = null;
    canvas.dataset.rendered = 'false';
    (async () => {
      const page = await doc.getPage(pageNumber);
      if (cancelled) return;
      const angle = (page.rotate + rotation) % 360;
      const fitted = (width - FIT_MARGIN) / page.getViewport({ scale: 1, rotation: angle }).width;
      const next = zoom === 'fit' ? Math.max(0.1, fitted) : zoom;
      setScale(next);
      task = paint(canvas, page, next, angle);
      await task.promise;
      if (!cancelled) canvas.dataset.rendered = 'true';
    })().catch((problem: unknown) => {
      if (!cancelled && !isCancelled(problem)) setError(trRef.current('viewer.broken', { reason: problem instanceof Error ? problem.message : String(problem) }));
    });
    return () => {
      cancelled = true;
      task?.cancel();
    };
  }, [doc, pageNumber, rotation, zoom, width]);

  const goTo = useCallback(
    (page: number) => {
      if (pageCount === 0) return;
      setPageNumber(Math.min(pageCount, Math.max(1, page)));
      scrollRef.current?.scrollTo({ top: 0 });
    },
    [pageCount],
  );
  const zoomBy = (factor: number) => setZoom(clampScale(scale * factor));
  const rotate = (quarterTurns: number) => setRotation((current) => (current + quarterTurns * 90 + 360) % 360);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    // Chords belong to whoever hosts the view (the labelling loop's Alt+arrows, Ctrl+Enter).
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (isTyping(event.target)) return;
    const actions: Record<string, () => void> = {
      PageDown: () => goTo(pageNumber + 1),
      ArrowRight: () => goTo(pageNumber + 1),
      PageUp: () => goTo(pageNumber - 1),
      ArrowLeft: () => goTo(pageNumber - 1),
      Home: () => goTo(1),
      End: () => goTo(pageCount),
      '+': () => zoomBy(ZOOM_STEP),
      '=': () => zoomBy(ZOOM_STEP),
      '-': () => zoomBy(1 / ZOOM_STEP),
      '0': () => setZoom('fit'),
      w: () => setZoom('fit'),
      r: () => rotate(1),
      R: () => rotate(-1),
    };
    if (onClose) actions.Escape = onClose;
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    event.stopPropagation();
    action();
  }

  const showStrip = pageCount > 1 || !compact;

  return (
    <div ref={rootRef} className={`pdf-view${compact ? ' pdf-view-compact' : ''}`} tabIndex={0} onKeyDown={onKeyDown} aria-label={tr('viewer.aria')}>
      <div className="pdf-toolbar" role="toolbar" aria-label={tr('viewer.toolbar')}>
        <button type="button" onClick={() => goTo(pageNumber - 1)} disabled={pageNumber <= 1} title={tr('viewer.prevPage.hint')} aria-label={tr('viewer.prevPage')}>
          ‹
        </button>
        <label className="page-input">
          <span className="visually-hidden">{tr('viewer.pageInput')}</span>
          <input
            type="text"
            inputMode="numeric"
            value={pageInput}
            size={3}
            data-testid="pdf-page-input"
            onChange={(event) => setPageInput(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter') {
                event.preventDefault();
                goTo(Number.parseInt(pageInput, 10) || pageNumber);
              }
            }}
            onBlur={() => setPageInput(String(pageNumber))}
          />
          <span data-testid="pdf-page-count">{tr('viewer.ofPages', { count: pageCount })}</span>
        </label>
        <button type="button" onClick={() => goTo(pageNumber + 1)} disabled={pageNumber >= pageCount} title={tr('viewer.nextPage.hint')} aria-label={tr('viewer.nextPage')}>
          ›
        </button>
        <span className="toolbar-gap" />
        <button type="button" onClick={() => zoomBy(1 / ZOOM_STEP)} title={tr('viewer.zoomOut.hint')} aria-label={tr('viewer.zoomOut')}>
          −
        </button>
        <span className="zoom-value" data-testid="pdf-zoom">
          {Math.round(scale * 100)}%
        </span>
        <button type="button" onClick={() => zoomBy(ZOOM_STEP)} title={tr('viewer.zoomIn.hint')} aria-label={tr('viewer.zoomIn')}>
          +
        </button>
        <button type="button" onClick={() => setZoom('fit')} aria-pressed={zoom === 'fit'} title={tr('viewer.fitWidth.hint')}>
          {tr('viewer.fitWidth')}
        </button>
        <button type="button" onClick={() => rotate(1)} title={tr('viewer.rotate.hint')} data-testid="pdf-rotate">
          {tr('viewer.rotate')}
        </button>
        {onClose && (
          <>
            <span className="toolbar-gap" />
            <button type="button" onClick={onClose} title={tr('viewer.close.hint')}>
              {tr('viewer.close')}
            </button>
          </>
        )}
      </div>
      <ErrorBox message={error} />
      <div className="pdf-body">
        {showStrip && doc && (
          <div className="pdf-strip" aria-label={tr('viewer.pages')}>
            {Array.from({ length: pageCount }, (_, index) => (
              <PageThumb
                key={index}
                doc={doc}
                pageNumber={index + 1}
                rotation={rotation}
                active={index + 1 === pageNumber}
                queue={thumbQueue}
                onSelect={goTo}
              />
            ))}
          </div>
        )}
        <div ref={scrollRef} className="pdf-scroll">
          {!doc && !error && <div className="pdf-loading">{tr('viewer.loading')}</div>}
          <canvas ref={canvasRef} data-testid="pdf-page" data-page={pageNumber} data-rotation={rotation} hidden={!doc} />
        </div>
      </div>
      {!compact && (
        <div className="pdf-keys">
          <Keys keys={['PgUp', 'PgDn']} /> {tr('viewer.keys.pages')} · <Keys keys={['+', '−']} /> {tr('viewer.keys.zoom')} · <Keys keys={['W']} />{' '}
          {tr('viewer.keys.fit')} · <Keys keys={['R']} /> {tr('viewer.keys.rotate')}
          {onClose && (
            <>
              {' '}
              · <Keys keys={['Esc']} /> {tr('viewer.keys.close')}
            </>
          )}
        </div>
      )}
    </div>
  );
}
