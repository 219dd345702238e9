// The viewer feature's door: the full viewer laid over a view, and the PDF view alone for
// previews beside other work.
export { DocumentViewer } from './DocumentViewer';
export { PdfView } from './PdfView';
