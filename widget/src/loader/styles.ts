/** The loader's CSS. It lives in a shadow root, so host page CSS can't reach it and it can't leak out. */
export const HOST_STYLE = 'all:initial!important;display:block!important;position:static!important;contain:style!important';

export const CSS = `
:host{all:initial}
*{box-sizing:border-box}
.r{position:fixed;bottom:20px;right:20px;z-index:2147483000;font:14px/1.4 system-ui,sans-serif}
.r.l{right:auto;left:20px}
.b{width:56px;height:56px;border-radius:50%;border:0;padding:0;background:var(--p);color:var(--pt);cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);display:flex;align-items:center;justify-content:center;position:relative;transition:transform .15s}
.b:hover{transform:scale(1.06)}
.b:focus-visible{outline:3px solid var(--p);outline-offset:3px}
.b .x,.o .b .i{display:none}
.o .b .x,.b .i{display:flex}
.n{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;border-radius:10px;background:#b91c1c;color:#fff;font-size:12px;font-weight:700;display:flex;align-items:center;justify-content:center;padding:0 5px}
.n[hidden],.t[hidden]{display:none}
.p{position:absolute;bottom:72px;right:0;width:380px;height:min(var(--ph,660px),calc(100vh - 112px));border-radius:16px;overflow:hidden;background:#fff;box-shadow:0 12px 48px rgba(0,0,0,.28);opacity:0;visibility:hidden;transform:translateY(12px) scale(.98);transform-origin:bottom right;transition:opacity .18s,transform .18s,visibility 0s .18s}
.l .p{right:auto;left:0;transform-origin:bottom left}
.o .p{opacity:1;visibility:visible;transform:none;transition:opacity .18s,transform .18s}
.d .p{background:#111827}
.p iframe{border:0;width:100%;height:100%;display:block}
.t{position:absolute;bottom:70px;right:0;width:max-content;max-width:240px;background:#fff;color:#111827;border-radius:12px;box-shadow:0 4px 18px rgba(0,0,0,.18)}
.t button{font:inherit;color:inherit;background:none;border:0;cursor:pointer}
.t .m{padding:10px 32px 10px 12px;text-align:start;border-radius:12px;width:100%}
.l .t{right:auto;left:0}
.t .c{position:absolute;top:4px;right:4px;width:24px;height:24px;padding:0;border-radius:50%;font-size:16px;line-height:1}
.t button:focus-visible{outline:2px solid var(--p);outline-offset:2px}
.d .t{background:#1f2937;color:#f9fafb}
.o .t{display:none}
@media (prefers-color-scheme:dark){.a .t{background:#1f2937;color:#f9fafb}}
@media (max-width:480px){.o .p{position:fixed;inset:0;width:100%;height:100%;border-radius:0}.o .b{display:none}.r{bottom:16px;right:16px}.r.l{left:16px}}
@media (prefers-reduced-motion:reduce){.p,.o .p,.b{transition:none}}
`;
