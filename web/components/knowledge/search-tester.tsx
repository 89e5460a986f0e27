"use client";
import * as React from "react";
import { Loader2, Search } from "lucide-react";
import { useSearchKnowledge, type SearchMode } from "@/lib/api/hooks/knowledge";
import { errorMessage } from "@/lib/api/errors";
import { Input } from "../ui/input";
import { Button } from "../ui/button";
import { NativeSelect } from "../ui/native-select";
import { Label } from "../ui/label";
import { Alert } from "../ui/alert";
import { Badge } from "../ui/badge";
import { Progress } from "../ui/progress";

/** Ask what the bot would read: the passages retrieved, with scores and where they come from. */
export function SearchTester({ botId, minRelevance }: { botId: string; minRelevance?: number }) {
  const search = useSearchKnowledge(botId);
  const [query, setQuery] = React.useState("");
  const [k, setK] = React.useState(5);
  const [mode, setMode] = React.useState<SearchMode>("hybrid");
  const hits = search.data;
  return (
    <div className="space-y-4">
      <form
        role="search"
        className="grid gap-3 sm:grid-cols-[1fr_7rem_8rem_auto] sm:items-end"
        onSubmit={(e) => {
          e.preventDefault();
          if (query.trim()) search.mutate({ query: query.trim(), k, mode });
        }}
      >
        <div className="space-y-2">
          <Label htmlFor="search-query">Question</Label>
          <Input id="search-query" value={query} maxLength={2000} placeholder="e.g. How do I reset my password?" onChange={(e) => setQuery(e.target.value)} />
        </div>
        <div className="space-y-2">
          <Label htmlFor="search-k">Results</Label>
          <NativeSelect id="search-k" value={k} onChange={(e) => setK(Number(e.target.value))}>
            {[3, 5, 10, 20].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </NativeSelect>
        </div>
        <div className="space-y-2">
          <Label htmlFor="search-mode">Method</Label>
          <NativeSelect id="search-mode" value={mode} onChange={(e) => setMode(e.target.value as SearchMode)}>
            <option value="hybrid">Hybrid</option>
            <option value="lexical">Keywords</option>
            <option value="dense">Meaning</option>
          </NativeSelect>
        </div>
        <Button type="submit" disabled={!query.trim() || search.isPending}>
          {search.isPending ? <Loader2 className="animate-spin" aria-hidden /> : <Search aria-hidden />}
          Search
        </Button>
      </form>
      {search.isError && <Alert variant="destructive">{errorMessage(search.error)}</Alert>}
      {hits && (
        <div aria-live="polite">
          {!hits.length ? (
            <p className="text-sm text-muted-foreground">Nothing found. Add documents that cover this question, or try other words.</p>
          ) : (
            <ol className="space-y-3" aria-label="Retrieved passages">
              {hits.map((h, i) => {
                const below = minRelevance !== undefined && h.relevance < minRelevance;
                return (
                  <li key={h.chunk_id} className="rounded-md border p-3" data-testid="search-hit">
                    <div className="flex flex-wrap items-center gap-2 text-sm">
                      <span className="font-semibold">#{i + 1}</span>
                      <span className="min-w-0 truncate font-medium">{h.title || h.source}</span>
                      {h.location && <span className="text-muted-foreground">· {h.location}</span>}
                      {below && <Badge variant="secondary">below the bot&apos;s minimum relevance</Badge>}
                    </div>
                    <div className="mt-2 flex items-center gap-3 text-xs text-muted-foreground">
                      <span className="w-28 shrink-0">Relevance {(h.relevance * 100).toFixed(0)}%</span>
                      <Progress value={h.relevance * 100} label={`Relevance of passage ${i + 1}`} className="max-w-[12rem]" />
                      <span>score {h.score.toFixed(3)}</span>
                    </div>
                    <p className="mt-2 whitespace-pre-wrap text-sm">{h.text}</p>
                    <p className="mt-2 truncate text-xs text-muted-foreground">
                      {h.uri ? (
                        <a className="underline underline-offset-2" href={h.uri} target="_blank" rel="noreferrer noopener">
                          {h.source}
                        </a>
                      ) : (
                        h.source
                      )}{" "}
                      · passage {h.chunk_id}
                    </p>
                  </li>
                );
              })}
            </ol>
          )}
        </div>
      )}
    </div>
  );
}
