// theme-init.js: loaded as a blocking script in <head> before the stylesheet, so the saved colour
// scheme applies before first paint (no flash); "auto" leaves the attribute off and the CSS follows
// prefers-color-scheme. Also adds the `js` class that turns the small-screen sidebar into a drawer.
(function(d){d.className+=" js";try{var t=localStorage.getItem("theme");if(t==="light"||t==="dark")d.setAttribute("data-theme",t)}catch(e){}})(document.documentElement);
