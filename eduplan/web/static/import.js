// Upload with a progress bar (XMLHttpRequest upload events). Without this script the form
// posts as usual; with it, the server answers JSON: {redirect} on success, {detail} on error.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form || !window.FormData || !window.XMLHttpRequest) return;
  var box = document.getElementById("upload-status");
  var bar = document.getElementById("upload-progress");
  var label = document.getElementById("upload-progress-text");
  var error = document.getElementById("upload-error");
  var button = form.querySelector("button[type=submit]");
  var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10) || 0;

  function fail(message) {
    error.textContent = message;
    error.hidden = false;
    box.hidden = true;
    button.disabled = false;
  }

  form.addEventListener("submit", function (event) {
    var input = form.querySelector("input[type=file]");
    var file = input && input.files && input.files[0];
    if (!file) return; // the browser's own "required" message
    event.preventDefault();
    if (maxBytes && file.size > maxBytes) {
      fail("文件太大（" + (file.size / 1048576).toFixed(1) + " MB），超过上限 " +
        form.getAttribute("data-max-label") + "。");
      return;
    }
    error.hidden = true;
    box.hidden = false;
    button.disabled = true;
    bar.value = 0;
    label.textContent = "正在上传 0%";

    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) return;
      var percent = Math.round((e.loaded / e.total) * 100);
      bar.value = percent;
      label.textContent = "正在上传 " + percent + "%";
    });
    xhr.upload.addEventListener("load", function () {
      bar.removeAttribute("value"); // indeterminate while the server reads the document
      label.textContent = "上传完成，正在读取……";
    });
    xhr.addEventListener("load", function () {
      var answer = null;
      try { answer = JSON.parse(xhr.responseText); } catch (e) { answer = null; }
      if (xhr.status >= 200 && xhr.status < 300 && answer && answer.redirect) {
        window.location.assign(answer.redirect);
      } else {
        fail((answer && answer.detail) || ("上传失败（" + xhr.status + "），请重试。"));
      }
    });
    xhr.addEventListener("error", function () { fail("网络错误，上传没有完成，请重试。"); });
    xhr.addEventListener("abort", function () { fail("上传已取消。"); });
    xhr.send(new FormData(form));
  });
})();
