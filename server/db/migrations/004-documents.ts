// documents: tables owned by server/documents/. (Filled in by that feature.)
export default [] as string[];
