import { PHASE_DEVELOPMENT_SERVER } from "next/constants.js";

const API_ORIGIN = process.env.PARLEY_API_ORIGIN ?? "http://127.0.0.1:8000";

/** Static export for `parley serve`; in `next dev` only, /api and /widget.js are proxied to the API. */
export default function config(phase) {
  const dev = phase === PHASE_DEVELOPMENT_SERVER;
  /** @type {import('next').NextConfig} */
  const base = {
    reactStrictMode: true,
    trailingSlash: true,
    poweredByHeader: false,
    images: { unoptimized: true },
    eslint: { ignoreDuringBuilds: true },
  };
  if (!dev) return { ...base, output: "export" };
  return {
    ...base,
    async rewrites() {
      return [
        { source: "/api/:path*", destination: `${API_ORIGIN}/api/:path*` },
        { source: "/widget.js", destination: `${API_ORIGIN}/widget.js` },
        { source: "/widget/:path*", destination: `${API_ORIGIN}/widget/:path*` },
      ];
    },
  };
}
