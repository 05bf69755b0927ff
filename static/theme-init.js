// theme-init.js: loaded as a blocking script in <head> before the stylesheet, so the saved colour
// scheme applies before first paint (no flash); "auto" leaves the attribute off and the CSS follows
// prefers-color-scheme. Also adds the `js` class that turns the small-screen sidebar into a drawer.
// Once everything has loaded, a checker widget that checker.js never took over (its script did
// not load) is marked `data-script-failed`, which shows its no-script note again (checker.css).
(function(d){d.className+=" js";try{var t=localStorage.getItem("theme");if(t==="light"||t==="dark")d.setAttribute("data-theme",t)}catch(e){}
addEventListener("load",function(){var w=document.querySelectorAll("[data-checker]:not([data-enhanced])");for(var i=0;i<w.length;i++)w[i].setAttribute("data-script-failed","")})})(document.documentElement);
