"use client";
import * as React from "react";
import { X } from "lucide-react";
import { cn } from "@/lib/utils";

type Toast = { id: number; title: string; description?: string; variant?: "default" | "destructive" | "success" };
let nextId = 1;
let toasts: Toast[] = [];
const subs = new Set<(t: Toast[]) => void>();
const emit = () => subs.forEach((s) => s(toasts));

export function toast(t: Omit<Toast, "id">, ms = 5000) {
  const id = nextId++;
  toasts = [...toasts, { ...t, id }].slice(-4);
  emit();
  setTimeout(() => dismiss(id), ms);
  return id;
}
export function dismiss(id: number) {
  toasts = toasts.filter((t) => t.id !== id);
  emit();
}

/** Polite live region (assertive for errors) in the bottom corner. */
export function Toaster() {
  const [items, setItems] = React.useState<Toast[]>(toasts);
  React.useEffect(() => {
    subs.add(setItems);
    return () => void subs.delete(setItems);
  }, []);
  return (
    <div className="pointer-events-none fixed bottom-0 right-0 z-[100] flex w-full flex-col gap-2 p-4 sm:max-w-sm">
      <div aria-live="polite" className="contents">
        {items
          .filter((t) => t.variant !== "destructive")
          .map((t) => (
            <ToastCard key={t.id} t={t} />
          ))}
      </div>
      <div aria-live="assertive" className="contents">
        {items
          .filter((t) => t.variant === "destructive")
          .map((t) => (
            <ToastCard key={t.id} t={t} />
          ))}
      </div>
    </div>
  );
}

function ToastCard({ t }: { t: Toast }) {
  return (
    <div
      className={cn(
        "pointer-events-auto relative rounded-md border bg-background p-4 pr-9 text-sm shadow-lg animate-fade-in",
        t.variant === "destructive" && "border-destructive text-destructive",
        t.variant === "success" && "border-success",
      )}
    >
      <p className="font-semibold">{t.title}</p>
      {t.description && <p className="mt-1 text-foreground">{t.description}</p>}
      <button type="button" onClick={() => dismiss(t.id)} className="absolute right-2 top-2 rounded p-1 hover:bg-accent focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring">
        <X className="h-4 w-4" aria-hidden />
        <span className="sr-only">Dismiss</span>
      </button>
    </div>
  );
}
