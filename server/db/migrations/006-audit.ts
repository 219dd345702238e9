// audit: tables owned by server/audit/. (Filled in by that feature.)
export default [] as string[];
