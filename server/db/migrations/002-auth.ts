// auth: tables owned by server/auth/. (Filled in by that feature.)
export default [] as string[];
