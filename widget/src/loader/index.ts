/**
 * widget.js entry: reads the script tag, replaces the `window.Parley` stub with the real API and
 * replays the calls queued before the script loaded.
 *
 *   <script>window.Parley=window.Parley||{q:[]};["open","close","toggle","identify","on","destroy"]
 *     .forEach(function(m){Parley[m]=Parley[m]||function(){Parley.q.push([m,[].slice.call(arguments)])}})</script>
 *   <script src="https://HOST/widget.js" data-bot="PUBLIC_KEY" async></script>
 */
import { boot } from './boot';

boot(window);
