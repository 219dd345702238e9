// reference: tables owned by server/reference/. (Filled in by that feature.)
export default [] as string[];
