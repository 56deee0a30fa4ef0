// Vite imports of non-code files, declared once so every tsconfig (proto, node, web, test) accepts them.

declare module '*.proto?raw' {
  const text: string;
  export default text;
}
