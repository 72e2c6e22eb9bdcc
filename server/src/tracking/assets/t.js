/* Trellis tracking script: keeps the click id from the landing URL in a first-party cookie on
   this site, so that checkout can send it with the conversion. Settings come from the script
   tag: data-param (the click-id parameter), data-days (cookie window), data-model
   (last_click or first_click). Read it with trellis.clickId(); forms with an input named like
   the parameter get it filled in. */
(function () {
  "use strict";
  var tag = document.currentScript || {};
  var data = tag.dataset || {};
  var param = data.param || "trl_click";
  var days = parseInt(data.days || "30", 10);
  var model = data.model || "last_click";
  var name = "trl_click_id";

  function read() {
    var match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([A-Za-z0-9]{20,40})"));
    return match ? match[1] : null;
  }

  function write(value) {
    var secure = location.protocol === "https:" ? "; Secure" : "";
    document.cookie = name + "=" + value + "; Max-Age=" + days * 86400 + "; Path=/; SameSite=Lax" + secure;
  }

  var fromUrl = new URLSearchParams(location.search).get(param);
  if (fromUrl && /^[A-Za-z0-9]{20,40}$/.test(fromUrl) && !(model === "first_click" && read())) {
    write(fromUrl);
  }

  function fill() {
    var id = read();
    if (!id) return;
    var inputs = document.querySelectorAll('input[name="' + param + '"]');
    for (var i = 0; i < inputs.length; i++) {
      if (!inputs[i].value) inputs[i].value = id;
    }
  }

  window.trellis = { clickId: read, param: param };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fill);
  } else {
    fill();
  }
})();
