// Security keys and passkeys (WebAuthn) for the second factor: registers a key on the set-up
// page ([data-security-key-register]) and confirms a login with one on the verification page
// ([data-security-key-verify]). Each is two JSON requests to mentoring.second_factor_keys
// around the browser's own dialogue: options from the server, the key's signed answer
// back; the server's answer then says where to go on. The forms stay hidden, and a note
// says why, where the browser has no WebAuthn or no script runs. Texts come from the
// form's data-text-* attributes (translated on the server); what the server refuses
// comes with its own German text.
(function () {
  "use strict";
  var supported = window.PublicKeyCredential && navigator.credentials;

  function toBytes(base64url) {
    var base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
    var binary = atob(base64 + "===".slice((base64.length + 3) % 4));
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i += 1) {
      bytes[i] = binary.charCodeAt(i);
    }
    return bytes.buffer;
  }

  function toBase64url(buffer) {
    var bytes = new Uint8Array(buffer);
    var binary = "";
    for (var i = 0; i < bytes.length; i += 1) {
      binary += String.fromCharCode(bytes[i]);
    }
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function withIds(descriptors) {
    return (descriptors || []).map(function (descriptor) {
      return Object.assign({}, descriptor, { id: toBytes(descriptor.id) });
    });
  }

  // Refused by the server: its text. Cancelled or timed out in the browser's dialogue, or
  // a key already registered: the form's. Anything else: the form's "failed" text.
  function ServerRefusal(detail) {
    this.detail = detail;
  }

  // A credential as the server reads it (the WebAuthn JSON form); ``parts`` are the
  // response's own fields, which differ between registering and confirming.
  function asJSON(credential, parts) {
    return {
      id: credential.id,
      rawId: toBase64url(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || null,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: Object.assign(
        { clientDataJSON: toBase64url(credential.response.clientDataJSON) },
        parts
      ),
    };
  }

  async function post(form, url, body) {
    var response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        Accept: "application/json",
        "Content-Type": "application/json",
        "X-CSRFToken": form.querySelector("input[name=csrfmiddlewaretoken]").value,
      },
      body: JSON.stringify(body || {}),
    });
    var data = {};
    try {
      data = await response.json();
    } catch (error) {
      data = {};
    }
    if (!response.ok) {
      throw new ServerRefusal(data.detail || form.dataset.textFailed);
    }
    return data;
  }

  function explain(form, error) {
    if (error instanceof ServerRefusal) {
      return error.detail;
    }
    if (error && error.name === "InvalidStateError" && form.dataset.textKnown) {
      return form.dataset.textKnown;
    }
    if (error && (error.name === "NotAllowedError" || error.name === "AbortError")) {
      return form.dataset.textCancelled;
    }
    return form.dataset.textFailed;
  }

  function run(form, ceremony) {
    var button = form.querySelector("button[type=submit]");
    var status = form.querySelector("[data-security-key-status]");
    form.hidden = false;
    var note = form.parentElement.querySelector(".security-key-unsupported");
    if (note) {
      note.hidden = true;
    }
    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      if (button.disabled) {
        return;
      }
      button.disabled = true;
      try {
        var next = await ceremony(form, status);
        if (next) {
          window.location.assign(next);
          return;
        }
      } catch (error) {
        status.textContent = explain(form, error);
      }
      button.disabled = false;
    });
  }

  async function register(form, status) {
    var name = form.querySelector("input[name=name]");
    if (!name.value.trim()) {
      name.setAttribute("aria-invalid", "true");
      status.textContent = form.dataset.textNameMissing;
      name.focus();
      return null;
    }
    name.removeAttribute("aria-invalid");
    var options = await post(form, form.dataset.securityKeyRegister);
    status.textContent = form.dataset.textBusy;
    options.challenge = toBytes(options.challenge);
    options.user = Object.assign({}, options.user, { id: toBytes(options.user.id) });
    options.excludeCredentials = withIds(options.excludeCredentials);
    var credential = await navigator.credentials.create({ publicKey: options });
    var response = credential.response;
    var answer = await post(
      form,
      form.dataset.complete,
      Object.assign(
        asJSON(credential, {
          attestationObject: toBase64url(response.attestationObject),
          transports: response.getTransports ? response.getTransports() : [],
        }),
        { name: name.value }
      )
    );
    return answer.redirect_url;
  }

  async function verify(form, status) {
    var options = await post(form, form.dataset.securityKeyVerify);
    status.textContent = form.dataset.textBusy;
    options.challenge = toBytes(options.challenge);
    options.allowCredentials = withIds(options.allowCredentials);
    var credential = await navigator.credentials.get({ publicKey: options });
    var response = credential.response;
    var answer = await post(
      form,
      form.dataset.complete,
      asJSON(credential, {
        authenticatorData: toBase64url(response.authenticatorData),
        signature: toBase64url(response.signature),
        userHandle: response.userHandle ? toBase64url(response.userHandle) : null,
      })
    );
    return answer.redirect_url;
  }

  if (!supported) {
    return;
  }
  document.querySelectorAll("[data-security-key-register]").forEach(function (form) {
    run(form, register);
  });
  document.querySelectorAll("[data-security-key-verify]").forEach(function (form) {
    run(form, verify);
  });
})();
