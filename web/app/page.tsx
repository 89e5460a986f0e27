"use client";
import * as React from "react";
import { useRouter } from "next/navigation";
import { isSignedIn } from "@/lib/session";
import { Loading } from "@/components/states";

export default function Home() {
  const router = useRouter();
  React.useEffect(() => {
    router.replace(isSignedIn() ? "/bots/" : "/signup/");
  }, [router]);
  return <Loading label="Opening Parley…" className="p-6" />;
}
